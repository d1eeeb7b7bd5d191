import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import type { ServerMessage, Trade } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { liveListOf, mergeLive } from "./useLiveList";
import { TRADES_LIMIT, useTrades } from "./useTrades";

const trade = (seq: number, price = 30): Trade => ({ seq, time_ms: seq * 1000, symbol: "MNAD", price, quantity: 1, taker_side: "buy" });
const message = (t: Trade): ServerMessage => ({ type: "trade", channel: "trades:MNAD", ...t });

/** Answers the session probe with 401 and the trades route with `trades` (or a pending promise). */
function stubServer(trades: () => Promise<Trade[]>) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      if (url.includes("/trades")) return new Response(JSON.stringify(await trades()), { status: 200 });
      return new Response(JSON.stringify({ error: { code: "unauthenticated", message: "no" } }), { status: 401 });
    }),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("merging live trades", () => {
  it("puts live trades newest first above the fetched ones", () => {
    const data = liveListOf([trade(5), trade(3)], TRADES_LIMIT);
    expect(mergeLive(data, [trade(6), trade(7)], TRADES_LIMIT).items.map((t) => t.seq)).toEqual([7, 6, 5, 3]);
  });

  it("drops trades the fetch already held, but keeps several trades of one newer record", () => {
    const data = liveListOf([trade(5), trade(3)], TRADES_LIMIT);
    const merged = mergeLive(data, [trade(4), trade(5), trade(6, 30), trade(6, 31)], TRADES_LIMIT);
    expect(merged.items.map((t) => [t.seq, t.price])).toEqual([
      [6, 31],
      [6, 30],
      [5, 30],
      [3, 30],
    ]);
  });

  it("keeps at most the limit", () => {
    const data = liveListOf([trade(2), trade(1)], TRADES_LIMIT);
    expect(mergeLive(data, [trade(3)], 2).items.map((t) => t.seq)).toEqual([3, 2]);
  });
});

describe("useTrades", () => {
  it("adds live trades to the fetched list", async () => {
    stubServer(async () => [trade(5)]);
    const { result, latest } = renderHookWithProviders(() => useTrades("MNAD"));
    await waitFor(() => expect(result.current.data?.items).toHaveLength(1));
    act(() => latest().open());
    act(() => {
      latest().receive(message(trade(5)));
      latest().receive(message(trade(8)));
    });
    await waitFor(() => expect(result.current.data?.items.map((t) => t.seq)).toEqual([8, 5]));
  });

  it("keeps trades that arrive before the fetch answers, without repeating those it holds", async () => {
    let answer: (trades: Trade[]) => void = () => undefined;
    stubServer(() => new Promise<Trade[]>((resolve) => (answer = resolve)));
    const { result, latest } = renderHookWithProviders(() => useTrades("MNAD"));
    act(() => latest().open());
    act(() => {
      latest().receive(message(trade(6)));
      latest().receive(message(trade(7)));
    });
    await act(async () => answer([trade(6), trade(2)]));
    await waitFor(() => expect(result.current.data?.items.map((t) => t.seq)).toEqual([7, 6, 2]));
  });
});
