/**
 * Every ticker's summary, live: quotes move bid, ask and last price; trades add to volume and
 * move the change. The 24-hour window slides, so the list is also refetched every minute.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { ServerMessage, TickerSummary } from "@/lib/types";
import { useSocket } from "./useSocket";

/** How often the summaries are refetched to follow the sliding 24-hour window. */
export const TICKERS_REFRESH_MS = 60_000;

/** Applies a `quotes:SYM` or `trades:SYM` message to one ticker's summary. */
export function applyTickerMessage(summary: TickerSummary, message: ServerMessage): TickerSummary {
  switch (message.type) {
    case "quote":
      return { ...summary, bid: message.bid, ask: message.ask, last_price: message.last_price };
    case "trade": {
      const previous = summary.last_price;
      const change = previous === null || summary.change === null ? 0 : summary.change + (message.price - previous);
      return {
        ...summary,
        last_price: message.price,
        change,
        volume: summary.volume + message.quantity,
        trades: summary.trades + 1,
      };
    }
    default:
      return summary;
  }
}

/** Applies a channel message to the ticker it names within the list. */
export function applyToTickers(tickers: TickerSummary[], message: ServerMessage): TickerSummary[] {
  if (!("channel" in message)) return tickers;
  const symbol = message.channel.slice(message.channel.indexOf(":") + 1);
  return tickers.map((ticker) => (ticker.symbol === symbol ? applyTickerMessage(ticker, message) : ticker));
}

/** The summaries of every ticker, live. */
export function useTickers() {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const query = useQuery({
    queryKey: queryKeys.tickers,
    queryFn: api.tickers,
    refetchInterval: TICKERS_REFRESH_MS,
  });
  const symbols = (query.data ?? []).map((ticker) => ticker.symbol).join(",");

  useEffect(() => {
    if (!symbols) return;
    const onMessage = (message: ServerMessage) => {
      if (message.type === "resync") {
        void queryClient.invalidateQueries({ queryKey: queryKeys.tickers });
        return;
      }
      queryClient.setQueryData<TickerSummary[]>(queryKeys.tickers, (old) => (old ? applyToTickers(old, message) : old));
    };
    const stops = symbols
      .split(",")
      .flatMap((symbol) => [socket.subscribe(`quotes:${symbol}`, onMessage), socket.subscribe(`trades:${symbol}`, onMessage)]);
    return () => stops.forEach((stop) => stop());
  }, [symbols, socket, queryClient]);

  return query;
}
