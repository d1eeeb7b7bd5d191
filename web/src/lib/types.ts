/**
 * The exchange's API types, as docs/api.md describes them. Numbers are whole numbers
 * (credits, shares, credits per share); times are milliseconds since the epoch.
 */

/** Buy or sell. */
export type Side = "buy" | "sell";
/** Limit or market. */
export type OrderType = "limit" | "market";
/** How long an order may rest. */
export type TimeInForce = "gtc" | "ioc" | "fok";
/** What happens when an order would trade with the same account. */
export type SelfTrade = "cancel_resting" | "cancel_incoming";
/** The kinds of account. */
export type AccountKind = "standard" | "orchestrator" | "admin";
/** Open or closed (liquidated) account. */
export type AccountStatus = "active" | "closed";
/** Whether a ticker trades. */
export type TickerStatus = "open" | "closed";
/** An order's life-cycle status. */
export type OrderStatus = "open" | "filled" | "cancelled";
/** Why credits moved. */
export type TransferReason = "payment" | "funding" | "liquidation" | "deposit";
/** A balance alert's direction. */
export type AlertDirection = "below" | "above";
/** Candle intervals the server offers. */
export type CandleInterval = "1m" | "5m" | "15m" | "1h" | "4h" | "1d";

/** The error body every failed request returns. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** The logged-in user's session. */
export interface Session {
  email: string;
  account_id: number;
  kind: AccountKind;
  expires_ms: number;
}

/** Email and password, for signup and login. */
export interface Credentials {
  email: string;
  password: string;
}

/** An API token as listed (the secret is shown only once, on creation). */
export interface ApiToken {
  id: number;
  name: string;
  created_ms: number;
}

/** A newly created API token, with its secret. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

/** One ticker's market summary over the last 24 hours. */
export interface TickerSummary {
  symbol: string;
  status: TickerStatus;
  last_price: number | null;
  /** The best bid level (the live server sends a Level, not a bare price). */
  bid: Level | null;
  /** The best ask level. */
  ask: Level | null;
  volume: number;
  trades: number;
  change: number | null;
}

/** One price level of a book. */
export interface Level {
  price: number;
  quantity: number;
  orders: number;
}

/** Best bid, best ask and last price. */
export interface Quote {
  symbol: string;
  seq: number;
  bid: Level | null;
  ask: Level | null;
  last_price: number | null;
}

/** The top levels of a book, best first. */
export interface Depth {
  symbol: string;
  seq: number;
  bids: Level[];
  asks: Level[];
}

/** One trade. */
export interface Trade {
  seq: number;
  time_ms: number;
  symbol: string;
  price: number;
  quantity: number;
  taker_side: Side;
}

/** One OHLCV candle. */
export interface Candle {
  time_ms: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

/** Shares of one ticker an account owns. */
export interface Position {
  symbol: string;
  available: number;
  held: number;
}

/** A balance alert. */
export interface Alert {
  direction: AlertDirection;
  threshold: number;
  armed: boolean;
}

/** The caller's own account. */
export interface Account {
  account_id: number;
  email: string;
  kind: AccountKind;
  status: AccountStatus;
  credits_available: number;
  credits_held: number;
  positions: Position[];
  orders_open: number;
  alerts: Alert[];
}

/** An account an orchestrator created (a noise trader): an Account without email. */
export type OrchestratedAccount = Omit<Account, "email">;

/** One of the account's trades. */
export interface Fill {
  seq: number;
  time_ms: number;
  order_id: number;
  symbol: string;
  side: Side;
  price: number;
  quantity: number;
  role: "maker" | "taker";
}

/** Credits that moved into or out of the account. */
export interface Transfer {
  seq: number;
  time_ms: number;
  direction: "in" | "out";
  counterparty: number | null;
  amount: number;
  reason: TransferReason;
}

/** An order. */
export interface Order {
  id: number;
  symbol: string;
  side: Side;
  type: OrderType;
  price: number | null;
  quantity: number;
  remaining: number;
  filled: number;
  status: OrderStatus;
  client_order_id: number | null;
  time_in_force: TimeInForce | null;
  created_seq: number;
  updated_seq: number;
}

/** The body of `POST /api/v1/orders`. */
export interface PlaceOrder {
  ticker: string;
  side: Side;
  type: OrderType;
  price?: number;
  quantity: number;
  time_in_force?: TimeInForce;
  post_only?: boolean;
  client_order_id?: number;
  self_trade?: SelfTrade;
}

/** The body of `PATCH /api/v1/orders/{id}`: both fields are required; `quantity` is the new remaining quantity. */
export interface AmendOrder {
  price: number;
  quantity: number;
}

/** One log event, as an order command reports it (`type` names the event). */
export interface LogEvent {
  type: string;
  [field: string]: unknown;
}

/** What an order command did. */
export interface OrderResult {
  seq: number;
  time_ms: number;
  /** The order as the command left it (null when the command left no order record). */
  order: Order | null;
  fills: Fill[];
  events: LogEvent[];
}

/** The answer of cancelling every open order of a ticker. */
export interface CancelAllResult {
  seq: number | null;
  cancelled: Order[];
}

/** The body of `POST /api/v1/transfers`. */
export interface TransferRequest {
  to_email: string;
  amount: number;
}

/** The answer of a credit transfer. */
export interface TransferResult {
  seq: number;
  amount: number;
  to_account: number;
}

/** The answer of creating an orchestrated account. */
export interface CreatedOrchestratedAccount {
  seq: number;
  account_id: number;
  token: string;
}

/** The answer of liquidating every orchestrated account. */
export interface LiquidateAllResult {
  seq: number;
  liquidated: number[];
}

/** `GET /health`. */
export interface Health {
  status: "ok";
  seq: number;
}

/** Fields every activity entry carries. */
interface ActivityBase {
  seq: number;
  time_ms: number;
}

/** A trade in the public feed. */
export interface TradeActivity extends ActivityBase {
  kind: "trade";
  symbol: string;
  price: number;
  quantity: number;
  taker_side: Side;
}

/** Credits moving between accounts (or deposited: `from` null) in the public feed. */
export interface TransferActivity extends ActivityBase {
  kind: "transfer";
  from: number | null;
  to: number;
  amount: number;
  reason: TransferReason;
}

/** An account opened; non-null `orchestrated_by` means a noise trader joined. */
export interface AccountOpenedActivity extends ActivityBase {
  kind: "account_opened";
  account_id: number;
  account_kind: AccountKind;
  orchestrated_by: number | null;
}

/** An account closed; non-null `orchestrated_by` means a noise trader was liquidated. */
export interface AccountClosedActivity extends ActivityBase {
  kind: "account_closed";
  account_id: number;
  orchestrated_by: number | null;
}

/** One entry of the public activity feed. */
export type Activity =
  | TradeActivity
  | TransferActivity
  | AccountOpenedActivity
  | AccountClosedActivity;

/** An account's own order event, as the `order` WebSocket message carries it. */
export type OrderEvent =
  | {
      type: "order_accepted";
      order: number;
      account: number;
      symbol: string;
      side: Side;
      order_type: OrderType;
      price: number | null;
      time_in_force: TimeInForce | null;
      quantity: number;
      client_order_id: number | null;
      self_trade: SelfTrade;
    }
  | {
      type: "order_rested";
      order: number;
      account: number;
      symbol: string;
      side: Side;
      price: number;
      quantity: number;
      filled: number;
      client_order_id: number | null;
    }
  | {
      type: "order_cancelled";
      order: number;
      account: number;
      symbol: string;
      side: Side;
      price: number;
      quantity: number;
      reason: string;
    }
  | { type: "remainder_cancelled"; order: number; account: number; quantity: number; reason: string }
  | {
      type: "order_amended";
      order: number;
      account: number;
      symbol: string;
      side: Side;
      old_price: number;
      old_quantity: number;
      price: number;
      quantity: number;
      priority: string;
    };

/** Channel names the WebSocket offers. */
export type Channel =
  | `quotes:${string}`
  | `book:${string}`
  | `trades:${string}`
  | "account"
  | "activity";

/** Every message the server sends on the WebSocket. */
export type ServerMessage =
  | { type: "subscribed"; channel: string; seq: number }
  | { type: "unsubscribed"; channel: string; seq: number }
  | { type: "resync"; channel: string; seq: number }
  | { type: "quote"; channel: string; seq: number; bid: Level | null; ask: Level | null; last_price: number | null }
  | { type: "book_snapshot"; channel: string; seq: number; bids: Level[]; asks: Level[] }
  | { type: "book"; channel: string; seq: number; side: Side; price: number; quantity: number; orders: number }
  | ({ type: "trade"; channel: string } & Trade)
  | ({ type: "activity"; channel: string } & Activity)
  | { type: "order"; channel: string; seq: number; event: OrderEvent }
  | ({ type: "fill"; channel: string } & Fill)
  | {
      type: "balance";
      channel: string;
      seq: number;
      credits_available: number;
      credits_held: number;
      positions: Position[];
    }
  | ({ type: "transfer"; channel: string } & Transfer)
  | { type: "alert"; channel: string; seq: number; direction: AlertDirection; threshold: number; balance: number }
  | { type: "error"; seq: number; code: string; message: string }
  | { type: "pong"; seq: number };

/** A server message of one type. */
export type MessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
