/**
 * A ticker's candles for one interval: the REST list, with every live trade folded into the
 * candle of its interval (a new candle when a new interval starts). Refetched every minute so
 * rounding or a missed trade never lingers.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Candle, CandleInterval, Trade } from "@/lib/types";
import { useChannel } from "./useSocket";
import { tradeOf } from "./useTrades";

/** Every interval the server offers, with its length. */
export const INTERVAL_MS: Record<CandleInterval, number> = {
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "4h": 14_400_000,
  "1d": 86_400_000,
};

/** The intervals in order, for the selector. */
export const INTERVALS = Object.keys(INTERVAL_MS) as CandleInterval[];

/** How often candles are refetched. */
export const CANDLES_REFRESH_MS = 60_000;

/** Folds one trade into candles (oldest first); trades older than the last candle are ignored. */
export function applyTradeToCandles(candles: Candle[], trade: Trade, intervalMs: number): Candle[] {
  const start = Math.floor(trade.time_ms / intervalMs) * intervalMs;
  const last = candles[candles.length - 1];
  if (last && start < last.time_ms) return candles;
  if (last && start === last.time_ms) {
    const updated: Candle = {
      ...last,
      high: Math.max(last.high, trade.price),
      low: Math.min(last.low, trade.price),
      close: trade.price,
      volume: last.volume + trade.quantity,
      trades: last.trades + 1,
    };
    return [...candles.slice(0, -1), updated];
  }
  const fresh: Candle = {
    time_ms: start,
    open: trade.price,
    high: trade.price,
    low: trade.price,
    close: trade.price,
    volume: trade.quantity,
    trades: 1,
  };
  return [...candles, fresh];
}

/** The candles of `symbol` at `interval`, oldest first, live. */
export function useCandles(symbol: string, interval: CandleInterval) {
  const queryClient = useQueryClient();
  const key = queryKeys.candles(symbol, interval);
  useChannel(`trades:${symbol}`, (message) => {
    if (message.type === "resync") {
      void queryClient.invalidateQueries({ queryKey: key });
      return;
    }
    const trade = tradeOf(message);
    if (!trade) return;
    queryClient.setQueryData<Candle[]>(key, (old) => (old ? applyTradeToCandles(old, trade, INTERVAL_MS[interval]) : old));
  });
  return useQuery({
    queryKey: key,
    queryFn: () => api.candles(symbol, interval),
    refetchInterval: CANDLES_REFRESH_MS,
  });
}
