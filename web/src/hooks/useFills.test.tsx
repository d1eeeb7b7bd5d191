import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import type { Fill } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { sessionOf, stubFetch } from "@/test/fetchRoutes";
import { fillOf, useFills } from "./useFills";

const fill = (seq: number, order_id = seq): Fill => ({
  seq,
  time_ms: seq * 1000,
  order_id,
  symbol: "MNAD",
  side: "buy",
  price: 30,
  quantity: 1,
  role: "taker",
});

const message = (f: Fill) => ({ type: "fill" as const, channel: "account", ...f });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("fillOf", () => {
  it("takes the fill out of a fill message and ignores other messages", () => {
    expect(fillOf(message(fill(3)))).toEqual(fill(3));
    expect(fillOf({ type: "subscribed", channel: "account", seq: 3 })).toBeNull();
  });
});

describe("useFills", () => {
  it("fetches the fills and adds live ones on top, dropping those the fetch held", async () => {
    stubFetch({ "/api/v1/auth/session": sessionOf(7), "/api/v1/account/fills": [fill(10), fill(8)] });
    const { result, latest } = renderHookWithProviders(() => useFills());
    await waitFor(() => expect(result.current.data?.items).toHaveLength(2));
    act(() => latest().open());
    expect(latest().sent).toContainEqual({ op: "subscribe", channels: ["account"] });
    act(() => {
      latest().receive(message(fill(10)));
      latest().receive(message(fill(11, 1)));
      latest().receive(message(fill(11, 2)));
    });
    // Query observers are notified on a timer, hence the wait.
    await waitFor(() =>
      expect(result.current.data?.items.map((f) => [f.seq, f.order_id])).toEqual([
        [11, 2],
        [11, 1],
        [10, 10],
        [8, 8],
      ]),
    );
  });

  it("keeps fills that arrive before the fetch answers", async () => {
    let answer: (fills: Fill[]) => void = () => undefined;
    stubFetch({
      "/api/v1/auth/session": sessionOf(7),
      "/api/v1/account/fills": () => new Promise<Fill[]>((resolve) => (answer = resolve)),
    });
    const { result, latest, sockets } = renderHookWithProviders(() => useFills());
    await waitFor(() => expect(sockets.length).toBe(1));
    act(() => latest().open());
    act(() => {
      latest().receive(message(fill(5)));
      latest().receive(message(fill(6)));
    });
    await act(async () => answer([fill(5), fill(4)]));
    await waitFor(() => expect(result.current.data?.items.map((f) => f.seq)).toEqual([6, 5, 4]));
  });

  it("applies a message once however many components watch the list", async () => {
    stubFetch({ "/api/v1/auth/session": sessionOf(7), "/api/v1/account/fills": [] });
    const { result, latest } = renderHookWithProviders(() => [useFills(), useFills()] as const);
    await waitFor(() => expect(result.current[0].data).toBeDefined());
    act(() => latest().open());
    act(() => latest().receive(message(fill(1))));
    await waitFor(() => expect(result.current[0].data?.items).toEqual([fill(1)]));
    expect(result.current[1].data?.items).toEqual([fill(1)]);
  });

  it("refetches on resync", async () => {
    const calls = stubFetch({ "/api/v1/auth/session": sessionOf(7), "/api/v1/account/fills": (n: number) => (n === 1 ? [] : [fill(20)]) });
    const { result, latest } = renderHookWithProviders(() => useFills());
    await waitFor(() => expect(result.current.data?.items).toEqual([]));
    act(() => latest().open());
    act(() => latest().receive({ type: "resync", channel: "account", seq: 20 }));
    await waitFor(() => expect(result.current.data?.items).toEqual([fill(20)]));
    expect(calls.filter((url) => url.startsWith("/api/v1/account/fills"))).toEqual([
      "/api/v1/account/fills?limit=1000",
      "/api/v1/account/fills?limit=1000",
    ]);
  });

  it("fetches nothing when logged out", async () => {
    const calls = stubFetch({ "/api/v1/auth/session": { status: 401, body: { error: { code: "unauthenticated", message: "no" } } } });
    const { result } = renderHookWithProviders(() => useFills());
    await waitFor(() => expect(calls).toContain("/api/v1/auth/session"));
    expect(result.current.fetchStatus).toBe("idle");
    expect(calls.some((url) => url.includes("fills"))).toBe(false);
  });
});
