/**
 * TanStack Query keys, in one place so a WebSocket handler updates exactly the cache entry a
 * page reads. Everything the account owns starts with `account` so logout clears it at once.
 */
import type { CandleInterval } from "./types";

export const queryKeys = {
  session: ["session"] as const,
  tickers: ["tickers"] as const,
  ticker: (symbol: string) => ["tickers", symbol] as const,
  trades: (symbol: string) => ["trades", symbol] as const,
  candles: (symbol: string, interval: CandleInterval) => ["candles", symbol, interval] as const,
  activity: ["activity"] as const,
  /** The prefix of every per-account query. */
  accountScope: ["account"] as const,
  account: ["account", "summary"] as const,
  orders: (ticker?: string) => (ticker ? (["account", "orders", ticker] as const) : (["account", "orders"] as const)),
  /** The prefix of every orders query (all tickers and per ticker). */
  ordersScope: ["account", "orders"] as const,
  fills: ["account", "fills"] as const,
  transfers: ["account", "transfers"] as const,
  alerts: ["account", "alerts"] as const,
  tokens: ["account", "tokens"] as const,
  orchestrated: ["account", "orchestrated"] as const,
};
