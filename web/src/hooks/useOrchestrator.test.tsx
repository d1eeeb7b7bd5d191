import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import type { OrchestratedAccount } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { sessionOf, stubFetch } from "@/test/fetchRoutes";
import { changesOrchestrated, sortOrchestrated, useOrchestratedAccounts } from "./useOrchestrator";

const trader = (account_id: number, status: "active" | "closed" = "active"): OrchestratedAccount => ({
  account_id,
  kind: "standard",
  status,
  credits_available: 100,
  credits_held: 0,
  positions: [],
  orders_open: 0,
  alerts: [],
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("changesOrchestrated", () => {
  const base = { type: "activity" as const, channel: "activity", seq: 1, time_ms: 1 };
  it("is true for my traders opening and closing, and for a resync", () => {
    expect(changesOrchestrated({ ...base, kind: "account_opened", account_id: 9, account_kind: "standard", orchestrated_by: 4 }, 4)).toBe(true);
    expect(changesOrchestrated({ ...base, kind: "account_closed", account_id: 9, orchestrated_by: 4 }, 4)).toBe(true);
    expect(changesOrchestrated({ type: "resync", channel: "activity", seq: 1 }, 4)).toBe(true);
  });
  it("is false for other orchestrators' traders and other activity", () => {
    expect(changesOrchestrated({ ...base, kind: "account_closed", account_id: 9, orchestrated_by: 5 }, 4)).toBe(false);
    expect(changesOrchestrated({ ...base, kind: "account_opened", account_id: 9, account_kind: "standard", orchestrated_by: null }, 4)).toBe(false);
    expect(changesOrchestrated({ ...base, kind: "transfer", from: 4, to: 9, amount: 5, reason: "funding" }, 4)).toBe(false);
  });
});

describe("sortOrchestrated", () => {
  it("puts active traders first, each group by id", () => {
    const sorted = sortOrchestrated([trader(3, "closed"), trader(5), trader(1, "closed"), trader(2)]);
    expect(sorted.map((t) => t.account_id)).toEqual([2, 5, 1, 3]);
  });
});

describe("useOrchestratedAccounts", () => {
  it("refetches when one of my traders joins, not for someone else's", async () => {
    const calls = stubFetch({
      "/api/v1/auth/session": sessionOf(4, "orchestrator"),
      "/api/v1/orchestrator/accounts": (n: number) => (n === 1 ? [trader(9)] : [trader(9), trader(10)]),
    });
    const { result, latest } = renderHookWithProviders(() => useOrchestratedAccounts());
    await waitFor(() => expect(result.current.data).toEqual([trader(9)]));
    act(() => latest().open());
    const base = { type: "activity" as const, channel: "activity", time_ms: 1 };
    act(() => latest().receive({ ...base, seq: 2, kind: "account_opened", account_id: 11, account_kind: "standard", orchestrated_by: 5 }));
    const fetches = () => calls.filter((url) => url === "/api/v1/orchestrator/accounts").length;
    expect(fetches()).toBe(1);
    act(() => latest().receive({ ...base, seq: 3, kind: "account_opened", account_id: 10, account_kind: "standard", orchestrated_by: 4 }));
    await waitFor(() => expect(result.current.data).toEqual([trader(9), trader(10)]));
    expect(fetches()).toBe(2);
  });

  it("asks nothing for an account that is not an orchestrator", async () => {
    const calls = stubFetch({ "/api/v1/auth/session": sessionOf(7, "standard") });
    const { result } = renderHookWithProviders(() => useOrchestratedAccounts());
    await waitFor(() => expect(calls).toContain("/api/v1/auth/session"));
    await waitFor(() => expect(result.current.fetchStatus).toBe("idle"));
    expect(calls.some((url) => url.includes("orchestrator"))).toBe(false);
  });
});
