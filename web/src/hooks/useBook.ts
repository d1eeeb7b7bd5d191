/**
 * A ticker's whole order book from the `book:SYM` channel: the server sends a snapshot on
 * subscribe (and after a resync), then one message per changed level with the level's new
 * totals (quantity 0 removes it). {@link bookReducer} is the pure part; the hook wires it up.
 */
import { useMemo, useReducer } from "react";
import type { Level, ServerMessage, Side } from "@/lib/types";
import { useChannel } from "./useSocket";

/** The book as the reducer keeps it: levels by price, per side. */
export interface BookState {
  bids: ReadonlyMap<number, Level>;
  asks: ReadonlyMap<number, Level>;
  /** The seq of the last snapshot or update applied. */
  seq: number;
  /** False until the first snapshot arrived (and again after a resync until the next one). */
  ready: boolean;
}

/** The book before any snapshot. */
export const EMPTY_BOOK: BookState = { bids: new Map(), asks: new Map(), seq: 0, ready: false };

function byPrice(levels: Level[]): Map<number, Level> {
  return new Map(levels.map((level) => [level.price, level]));
}

/** Applies one `book:SYM` channel message; other messages leave the state as it is. */
export function bookReducer(state: BookState, message: ServerMessage): BookState {
  switch (message.type) {
    case "book_snapshot":
      return { bids: byPrice(message.bids), asks: byPrice(message.asks), seq: message.seq, ready: true };
    case "book": {
      if (!state.ready) return state; // Updates before the snapshot are already in it.
      const key: "bids" | "asks" = message.side === "buy" ? "bids" : "asks";
      const levels = new Map(state[key]);
      if (message.quantity === 0) levels.delete(message.price);
      else levels.set(message.price, { price: message.price, quantity: message.quantity, orders: message.orders });
      return { ...state, [key]: levels, seq: message.seq };
    }
    case "resync":
      return { ...state, ready: false };
    default:
      return state;
  }
}

/** A side's levels, best first: bids highest first, asks lowest first. */
export function sortedLevels(levels: ReadonlyMap<number, Level>, side: Side): Level[] {
  const sorted = [...levels.values()];
  sorted.sort((a, b) => (side === "buy" ? b.price - a.price : a.price - b.price));
  return sorted;
}

/** The sorted book of `symbol`, live. */
export interface Book {
  bids: Level[];
  asks: Level[];
  seq: number;
  ready: boolean;
}

/** The live order book of `symbol`. */
export function useBook(symbol: string): Book {
  const [state, dispatch] = useReducer(bookReducer, EMPTY_BOOK);
  const [current, setCurrent] = useReducer((_: string, next: string) => next, symbol);
  if (current !== symbol) {
    setCurrent(symbol);
    dispatch({ type: "resync", channel: `book:${symbol}`, seq: 0 });
  }
  useChannel(`book:${symbol}`, dispatch);
  return useMemo(
    () => ({
      bids: sortedLevels(state.bids, "buy"),
      asks: sortedLevels(state.asks, "sell"),
      seq: state.seq,
      ready: state.ready,
    }),
    [state],
  );
}
