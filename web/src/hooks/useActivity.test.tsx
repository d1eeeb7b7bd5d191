import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import type { Activity } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { stubFetch } from "@/test/fetchRoutes";
import { ACTIVITY_LIMIT, activityOf, useActivity } from "./useActivity";

const trade = (seq: number): Activity => ({ seq, time_ms: seq, kind: "trade", symbol: "MNAD", price: 30, quantity: 1, taker_side: "buy" });
const opened = (seq: number): Activity => ({
  seq,
  time_ms: seq,
  kind: "account_opened",
  account_id: 12,
  account_kind: "standard",
  orchestrated_by: 4,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("activityOf", () => {
  it("returns the entry without the message envelope", () => {
    expect(activityOf({ type: "activity", channel: "activity", ...opened(3) })).toEqual(opened(3));
    expect(activityOf({ type: "trade", channel: "trades:MNAD", seq: 1, time_ms: 1, symbol: "MNAD", price: 1, quantity: 1, taker_side: "buy" })).toBeNull();
  });
});

describe("useActivity", () => {
  it("loads the feed without a session and adds live entries newest first", async () => {
    const calls = stubFetch({
      "/api/v1/auth/session": { status: 401, body: { error: { code: "unauthenticated", message: "no" } } },
      "/api/v1/activity": [trade(5), trade(4)],
    });
    const { result, latest } = renderHookWithProviders(() => useActivity());
    await waitFor(() => expect(result.current.data?.items).toHaveLength(2));
    expect(calls).toContain(`/api/v1/activity?limit=${ACTIVITY_LIMIT}`);
    act(() => latest().open());
    expect(latest().sent).toContainEqual({ op: "subscribe", channels: ["activity"] });
    act(() => {
      latest().receive({ type: "activity", channel: "activity", ...trade(5) });
      latest().receive({ type: "activity", channel: "activity", ...opened(6) });
    });
    await waitFor(() => expect(result.current.data?.items).toEqual([opened(6), trade(5), trade(4)]));
  });

  it("keeps at most ACTIVITY_LIMIT entries", async () => {
    const full = Array.from({ length: ACTIVITY_LIMIT }, (_, index) => trade(ACTIVITY_LIMIT - index));
    stubFetch({ "/api/v1/auth/session": { status: 401, body: { error: { code: "unauthenticated", message: "no" } } }, "/api/v1/activity": full });
    const { result, latest } = renderHookWithProviders(() => useActivity());
    await waitFor(() => expect(result.current.data?.items).toHaveLength(ACTIVITY_LIMIT));
    act(() => latest().open());
    act(() => latest().receive({ type: "activity", channel: "activity", ...trade(ACTIVITY_LIMIT + 1) }));
    await waitFor(() => expect(result.current.data?.items[0]).toEqual(trade(ACTIVITY_LIMIT + 1)));
    expect(result.current.data?.items).toHaveLength(ACTIVITY_LIMIT);
    expect(result.current.data?.items.at(-1)).toEqual(trade(2));
  });
});
