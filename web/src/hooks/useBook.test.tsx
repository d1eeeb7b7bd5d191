import { afterEach, describe, expect, it, vi } from "vitest";
import { act } from "@testing-library/react";
import type { ServerMessage } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { bookReducer, EMPTY_BOOK, sortedLevels, useBook } from "./useBook";

const snapshot: ServerMessage = {
  type: "book_snapshot",
  channel: "book:MNAD",
  seq: 10,
  bids: [
    { price: 30, quantity: 5, orders: 2 },
    { price: 29, quantity: 1, orders: 1 },
  ],
  asks: [{ price: 32, quantity: 4, orders: 1 }],
};

const level = (side: "buy" | "sell", price: number, quantity: number, seq = 11): ServerMessage => ({
  type: "book",
  channel: "book:MNAD",
  seq,
  side,
  price,
  quantity,
  orders: quantity === 0 ? 0 : 1,
});

function apply(...messages: ServerMessage[]) {
  return messages.reduce(bookReducer, EMPTY_BOOK);
}

describe("bookReducer", () => {
  it("starts from the snapshot", () => {
    const book = apply(snapshot);
    expect(book.ready).toBe(true);
    expect(book.seq).toBe(10);
    expect(sortedLevels(book.bids, "buy").map((l) => l.price)).toEqual([30, 29]);
    expect(sortedLevels(book.asks, "sell").map((l) => l.price)).toEqual([32]);
  });

  it("sets a level's new totals, adds new levels in price order, and removes emptied ones", () => {
    const book = apply(snapshot, level("buy", 30, 7), level("sell", 31, 2, 12), level("buy", 29, 0, 13));
    expect(sortedLevels(book.bids, "buy")).toEqual([{ price: 30, quantity: 7, orders: 1 }]);
    expect(sortedLevels(book.asks, "sell").map((l) => [l.price, l.quantity])).toEqual([
      [31, 2],
      [32, 4],
    ]);
    expect(book.seq).toBe(13);
  });

  it("ignores updates before the first snapshot (the snapshot already holds them)", () => {
    const book = apply(level("buy", 50, 3), snapshot);
    expect(book.bids.has(50)).toBe(false);
  });

  it("a later snapshot replaces everything", () => {
    const fresh: ServerMessage = { type: "book_snapshot", channel: "book:MNAD", seq: 40, bids: [], asks: [{ price: 35, quantity: 1, orders: 1 }] };
    const book = apply(snapshot, level("buy", 31, 1), fresh);
    expect(book.bids.size).toBe(0);
    expect([...book.asks.keys()]).toEqual([35]);
  });

  it("a resync marks the book stale until the next snapshot, dropping updates meanwhile", () => {
    const stale = apply(snapshot, { type: "resync", channel: "book:MNAD", seq: 90 }, level("buy", 28, 1, 91));
    expect(stale.ready).toBe(false);
    expect(stale.bids.has(28)).toBe(false);
  });
});

describe("useBook", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("subscribes to the book channel and follows snapshot and updates", () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("null", { status: 401 })));
    const { result, latest } = renderHookWithProviders(() => useBook("MNAD"));
    expect(result.current.ready).toBe(false);
    act(() => latest().open());
    expect(latest().sent).toContainEqual({ op: "subscribe", channels: ["book:MNAD"] });
    act(() => latest().receive(snapshot));
    expect(result.current.bids.map((l) => l.price)).toEqual([30, 29]);
    act(() => {
      latest().receive(level("sell", 31, 3));
      latest().receive(level("buy", 30, 0, 12));
    });
    expect(result.current.asks.map((l) => l.price)).toEqual([31, 32]);
    expect(result.current.bids.map((l) => l.price)).toEqual([29]);
    expect(result.current.seq).toBe(12);
  });
});
