/**
 * A ticker's recent trades: the REST list, then every `trades:SYM` message on top. Trades the
 * REST answer already holds (seq at or below its newest) are dropped, so the fetch/subscribe
 * race neither loses nor repeats a trade; trades that arrive before the fetch answers wait in a
 * buffer and are merged when it does.
 */
import { useEffect, useRef } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { ServerMessage, Trade } from "@/lib/types";
import { useChannel } from "./useSocket";

/** How many trades the tape keeps. */
export const TRADES_LIMIT = 100;

/** The trades query's data: newest first, and the newest seq the REST answer covered. */
export interface TradesData {
  trades: Trade[];
  baseSeq: number;
}

/** The REST answer as query data. */
export function tradesData(trades: Trade[]): TradesData {
  return { trades, baseSeq: trades.reduce((max, trade) => Math.max(max, trade.seq), 0) };
}

/** The trade a `trade` message carries, or null for other messages. */
export function tradeOf(message: ServerMessage): Trade | null {
  if (message.type !== "trade") return null;
  const { seq, time_ms, symbol, price, quantity, taker_side } = message;
  return { seq, time_ms, symbol, price, quantity, taker_side };
}

/** Puts live trades (oldest first) on top of `data`, dropping those the REST answer holds. */
export function mergeTrades(data: TradesData, incoming: Trade[], limit = TRADES_LIMIT): TradesData {
  const fresh = incoming.filter((trade) => trade.seq > data.baseSeq);
  if (fresh.length === 0) return data;
  return { ...data, trades: [...fresh.reverse(), ...data.trades].slice(0, limit) };
}

/** The recent trades of `symbol`, newest first, live. */
export function useTrades(symbol: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.trades(symbol);
  const pending = useRef<Trade[]>([]);
  const query = useQuery({
    queryKey: key,
    queryFn: async () => tradesData(await api.trades(symbol, TRADES_LIMIT)),
  });

  useChannel(`trades:${symbol}`, (message) => {
    if (message.type === "resync") {
      void queryClient.invalidateQueries({ queryKey: key });
      return;
    }
    const trade = tradeOf(message);
    if (!trade) return;
    if (queryClient.getQueryData<TradesData>(key) === undefined) {
      pending.current.push(trade);
      return;
    }
    queryClient.setQueryData<TradesData>(key, (old) => (old ? mergeTrades(old, [trade]) : old));
  });

  useEffect(() => {
    if (!query.data || pending.current.length === 0) return;
    const buffered = pending.current;
    pending.current = [];
    queryClient.setQueryData<TradesData>(queryKeys.trades(symbol), (old) => (old ? mergeTrades(old, buffered) : old));
  }, [query.data, queryClient, symbol]);

  return query;
}
