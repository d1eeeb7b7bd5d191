/**
 * A ticker's recent trades: the REST list, then every `trades:SYM` message on top, as a live
 * list (`useLiveList`: no trade lost or repeated across the fetch/subscribe race).
 */
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { ServerMessage, Trade } from "@/lib/types";
import { useLiveList } from "./useLiveList";

/** How many trades the tape keeps. */
export const TRADES_LIMIT = 100;

/** The trade a `trade` message carries, or null for other messages. */
export function tradeOf(message: ServerMessage): Trade | null {
  if (message.type !== "trade") return null;
  const { seq, time_ms, symbol, price, quantity, taker_side } = message;
  return { seq, time_ms, symbol, price, quantity, taker_side };
}

/** The recent trades of `symbol`, newest first, live. */
export function useTrades(symbol: string) {
  return useLiveList<Trade>({
    queryKey: queryKeys.trades(symbol),
    fetch: () => api.trades(symbol, TRADES_LIMIT),
    channel: `trades:${symbol}`,
    entryOf: tradeOf,
    limit: TRADES_LIMIT,
  });
}
