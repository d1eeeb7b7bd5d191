import { describe, expect, it } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import type { Account, Candle, ServerMessage, TickerSummary, Trade } from "@/lib/types";
import { queryKeys } from "@/lib/queryKeys";
import { applyAccountMessage } from "./useAccount";
import { applyTradeToCandles, INTERVAL_MS } from "./useCandles";
import { applyOrderResult } from "./useOrders";
import { applyTickerMessage, applyToTickers } from "./useTickers";

const trade = (time_ms: number, price: number, quantity = 1): Trade => ({
  seq: time_ms,
  time_ms,
  symbol: "MNAD",
  price,
  quantity,
  taker_side: "buy",
});

describe("applyTradeToCandles", () => {
  const minute = INTERVAL_MS["1m"];
  const base: Candle[] = [{ time_ms: 0, open: 30, high: 32, low: 29, close: 31, volume: 5, trades: 2 }];

  it("folds a trade into the current interval's candle", () => {
    expect(applyTradeToCandles(base, trade(30_000, 35, 2), minute)).toEqual([
      { time_ms: 0, open: 30, high: 35, low: 29, close: 35, volume: 7, trades: 3 },
    ]);
  });

  it("opens a new candle when a new interval starts", () => {
    const next = applyTradeToCandles(base, trade(minute + 5, 28), minute);
    expect(next).toHaveLength(2);
    expect(next[1]).toEqual({ time_ms: minute, open: 28, high: 28, low: 28, close: 28, volume: 1, trades: 1 });
  });

  it("ignores a trade older than the last candle", () => {
    const later: Candle[] = [{ ...base[0]!, time_ms: 2 * minute }];
    expect(applyTradeToCandles(later, trade(minute, 99), minute)).toBe(later);
  });
});

describe("ticker summaries", () => {
  const summary: TickerSummary = {
    symbol: "MNAD",
    status: "open",
    last_price: 30,
    bid: null,
    ask: null,
    volume: 10,
    trades: 4,
    change: 2,
  };

  it("a trade moves the last price and the change, and adds to volume", () => {
    const message: ServerMessage = { type: "trade", channel: "trades:MNAD", ...trade(1, 33, 3) };
    expect(applyTickerMessage(summary, message)).toMatchObject({ last_price: 33, change: 5, volume: 13, trades: 5 });
  });

  it("the first trade in 24 hours starts the change at 0", () => {
    const quiet = { ...summary, last_price: null, change: null };
    const message: ServerMessage = { type: "trade", channel: "trades:MNAD", ...trade(1, 33) };
    expect(applyTickerMessage(quiet, message)).toMatchObject({ last_price: 33, change: 0 });
  });

  it("a quote replaces bid and ask on the ticker its channel names only", () => {
    const other = { ...summary, symbol: "OTHR" };
    const bid = { price: 29, quantity: 1, orders: 1 };
    const message: ServerMessage = { type: "quote", channel: "quotes:MNAD", seq: 3, bid, ask: null, last_price: 30 };
    const [mnad, othr] = applyToTickers([summary, other], message);
    expect(mnad?.bid).toEqual(bid);
    expect(othr).toBe(other);
  });
});

describe("applyAccountMessage", () => {
  it("a balance message replaces credits and positions of the cached account", () => {
    const client = new QueryClient();
    const account: Account = {
      account_id: 7,
      email: "a@b.c",
      kind: "standard",
      status: "active",
      credits_available: 100,
      credits_held: 0,
      positions: [],
      orders_open: 0,
      alerts: [],
    };
    client.setQueryData(queryKeys.account, account);
    applyAccountMessage(client, {
      type: "balance",
      channel: "account",
      seq: 9,
      credits_available: 40,
      credits_held: 60,
      positions: [{ symbol: "MNAD", available: 2, held: 0 }],
    });
    expect(client.getQueryData<Account>(queryKeys.account)).toMatchObject({
      credits_available: 40,
      credits_held: 60,
      positions: [{ symbol: "MNAD", available: 2, held: 0 }],
      email: "a@b.c",
    });
  });
});

describe("applyOrderResult", () => {
  const order = (id: number, status: "open" | "cancelled", price = 30) => ({
    id,
    symbol: "MNAD",
    side: "buy" as const,
    type: "limit" as const,
    price,
    quantity: 2,
    remaining: 2,
    filled: 0,
    status,
    client_order_id: null,
    time_in_force: "gtc" as const,
    created_seq: 1,
    updated_seq: 1,
  });
  const result = (o: ReturnType<typeof order>) => ({ seq: 2, time_ms: 2, order: o, fills: [], events: [] });

  it("removes a cancelled order and replaces an amended one", () => {
    const list = [order(1, "open"), order(2, "open")];
    expect(applyOrderResult(list, result(order(1, "cancelled")))?.map((o) => o.id)).toEqual([2]);
    expect(applyOrderResult(list, result(order(2, "open", 31)))?.[1]?.price).toBe(31);
  });
});
