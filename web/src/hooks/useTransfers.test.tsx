import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import { ApiError } from "@/lib/api";
import type { Transfer } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { sessionOf, stubFetch } from "@/test/fetchRoutes";
import { transferOf, useSendCredits, useTransfers } from "./useTransfers";

const received = (seq: number): Transfer => ({ seq, time_ms: seq, direction: "in", counterparty: 3, amount: 50, reason: "payment" });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("transferOf", () => {
  it("takes the transfer out of a transfer message", () => {
    expect(transferOf({ type: "transfer", channel: "account", ...received(4) })).toEqual(received(4));
    expect(transferOf({ type: "resync", channel: "account", seq: 4 })).toBeNull();
  });
});

describe("useTransfers and useSendCredits", () => {
  it("adds transfers the account channel reports", async () => {
    stubFetch({ "/api/v1/auth/session": sessionOf(7), "/api/v1/account/transfers": [received(2)] });
    const { result, latest } = renderHookWithProviders(() => useTransfers());
    await waitFor(() => expect(result.current.data?.items).toEqual([received(2)]));
    act(() => latest().open());
    act(() => latest().receive({ type: "transfer", channel: "account", ...received(5) }));
    await waitFor(() => expect(result.current.data?.items).toEqual([received(5), received(2)]));
  });

  it("sends the transfer and surfaces the server's error code", async () => {
    stubFetch({
      "/api/v1/auth/session": sessionOf(7),
      "/api/v1/transfers": (n: number) =>
        n === 1 ? { status: 201, body: { seq: 8, amount: 25, to_account: 3 } } : { status: 404, body: { error: { code: "unknown_user", message: "no user" } } },
    });
    const { result } = renderHookWithProviders(() => useSendCredits());
    let answer: unknown;
    await act(async () => {
      answer = await result.current.mutateAsync({ to_email: "bob@example.com", amount: 25 });
    });
    expect(answer).toEqual({ seq: 8, amount: 25, to_account: 3 });
    const init = vi.mocked(fetch).mock.calls.find(([url]) => url === "/api/v1/transfers")?.[1];
    expect(init?.body).toBe(JSON.stringify({ to_email: "bob@example.com", amount: 25 }));
    let failure: unknown;
    await act(async () => {
      failure = await result.current.mutateAsync({ to_email: "nobody@example.com", amount: 1 }).catch((error: unknown) => error);
    });
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe("unknown_user");
  });
});
