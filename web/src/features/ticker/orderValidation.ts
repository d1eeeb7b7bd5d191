/**
 * The order form's rules, as pure functions: what the user typed becomes a `PlaceOrder` body
 * or a set of errors keyed by the field they concern; the estimate walks the book the way the
 * matching engine would; and server rejections are mapped to the same fields.
 */
import { ApiError } from "@/lib/api";
import type { Level, OrderType, PlaceOrder, Side, TimeInForce } from "@/lib/types";

/** The largest price the exchange accepts (exchange-core `PRICE_MAX`). */
export const PRICE_MAX = 1_000_000_000;
/** The largest quantity the exchange accepts (exchange-core `QUANTITY_MAX`). */
export const QUANTITY_MAX = 1_000_000_000_000;

/** What the user typed, as the form keeps it (numbers as typed text). */
export interface OrderDraft {
  side: Side;
  type: OrderType;
  price: string;
  quantity: string;
  timeInForce: TimeInForce;
  postOnly: boolean;
}

/** A fresh draft. */
export const EMPTY_DRAFT: OrderDraft = {
  side: "buy",
  type: "limit",
  price: "",
  quantity: "",
  timeInForce: "gtc",
  postOnly: false,
};

/** The fields an error can belong to; `form` is the whole form. */
export type OrderField = "ticker" | "side" | "type" | "price" | "quantity" | "timeInForce" | "postOnly" | "form";

/** Errors by field. */
export type OrderErrors = Partial<Record<OrderField, string>>;

/** What the validation knows of the account and the market (all optional). */
export interface OrderContext {
  /** Credits free to spend, when logged in. */
  creditsAvailable?: number;
  /** Shares of this ticker free to sell, when logged in. */
  sharesAvailable?: number;
  /** The best bid and ask prices, for the post-only check. */
  bestBid?: number | null;
  bestAsk?: number | null;
}

/** A whole number typed by the user, or a reason it is not one. */
function parseWhole(text: string, name: string, max: number): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return `Enter a ${name}.`;
  if (!/^\d+$/.test(trimmed)) return `The ${name} must be a whole number.`;
  const value = Number(trimmed);
  if (value < 1) return `The ${name} must be at least 1.`;
  if (value > max) return `The ${name} can be at most ${max.toLocaleString("en-US")}.`;
  return value;
}

/** The result of validating a draft: the request body when there are no errors. */
export interface ValidatedOrder {
  errors: OrderErrors;
  order: PlaceOrder | null;
}

/** Checks a draft for `ticker`; with a context, also funds and the post-only rule. */
export function validateOrder(ticker: string, draft: OrderDraft, context: OrderContext = {}): ValidatedOrder {
  const errors: OrderErrors = {};
  const quantity = parseWhole(draft.quantity, "quantity", QUANTITY_MAX);
  if (typeof quantity === "string") errors.quantity = quantity;
  let price: number | undefined;
  if (draft.type === "limit") {
    const parsed = parseWhole(draft.price, "price", PRICE_MAX);
    if (typeof parsed === "string") errors.price = parsed;
    else price = parsed;
    if (draft.postOnly && draft.timeInForce !== "gtc") {
      errors.postOnly = "Post-only goes only with Good till cancelled.";
    }
  }
  if (typeof quantity === "number") {
    if (draft.side === "buy" && price !== undefined && context.creditsAvailable !== undefined) {
      const cost = price * quantity;
      if (cost > context.creditsAvailable) {
        errors.quantity = `This order needs ${cost.toLocaleString("en-US")} credits; you have ${context.creditsAvailable.toLocaleString("en-US")} available.`;
      }
    }
    if (draft.side === "sell" && context.sharesAvailable !== undefined && quantity > context.sharesAvailable) {
      errors.quantity = `You have ${context.sharesAvailable.toLocaleString("en-US")} shares available to sell.`;
    }
    if (draft.side === "buy" && draft.type === "market" && context.creditsAvailable === 0) {
      errors.quantity = "You have no credits available to buy with.";
    }
  }
  if (draft.type === "limit" && draft.postOnly && price !== undefined && !errors.postOnly) {
    if (draft.side === "buy" && context.bestAsk != null && price >= context.bestAsk) {
      errors.postOnly = `A post-only buy must be below the best ask (${context.bestAsk}); this one would trade.`;
    }
    if (draft.side === "sell" && context.bestBid != null && price <= context.bestBid) {
      errors.postOnly = `A post-only sell must be above the best bid (${context.bestBid}); this one would trade.`;
    }
  }
  if (Object.keys(errors).length > 0 || typeof quantity !== "number") return { errors, order: null };
  const order: PlaceOrder =
    draft.type === "market"
      ? { ticker, side: draft.side, type: "market", quantity }
      : {
          ticker,
          side: draft.side,
          type: "limit",
          price,
          quantity,
          time_in_force: draft.timeInForce,
          ...(draft.postOnly ? { post_only: true } : {}),
        };
  return { errors, order };
}

/** What an order would do against the book right now. */
export interface Estimate {
  /** Shares that would trade at once. */
  filled: number;
  /** Credits those shares cost (buy) or bring (sell). */
  tradedValue: number;
  /** Shares that would rest in the book (limit GTC), or be cancelled (IOC, market). */
  unfilled: number;
  /** Credits a buy would use in total: traded value plus the resting part at the limit. */
  total: number;
  /** The average traded price, if anything trades. */
  averagePrice: number | null;
}

/**
 * Walks the opposite side of the book (best first) for `quantity` shares, up to `limit` if
 * given; a market buy also stops when `budget` credits are spent (the engine does the same).
 */
export function estimateOrder(
  side: Side,
  quantity: number,
  opposite: Level[],
  limit?: number,
  budget?: number,
): Estimate {
  let filled = 0;
  let tradedValue = 0;
  for (const level of opposite) {
    if (filled >= quantity) break;
    if (limit !== undefined && (side === "buy" ? level.price > limit : level.price < limit)) break;
    let take = Math.min(level.quantity, quantity - filled);
    if (side === "buy" && limit === undefined && budget !== undefined) {
      take = Math.min(take, Math.floor((budget - tradedValue) / level.price));
      if (take <= 0) break;
    }
    filled += take;
    tradedValue += take * level.price;
  }
  const unfilled = quantity - filled;
  const total = side === "buy" && limit !== undefined ? tradedValue + unfilled * limit : tradedValue;
  return { filled, tradedValue, unfilled, total, averagePrice: filled > 0 ? tradedValue / filled : null };
}

/** The form field a server rejection concerns. */
export function fieldOfError(code: string): OrderField {
  switch (code) {
    case "invalid_price":
    case "amendment_would_trade":
      return "price";
    case "invalid_quantity":
    case "insufficient_credits":
    case "insufficient_shares":
    case "no_liquidity":
      return "quantity";
    case "unknown_ticker":
    case "invalid_symbol":
    case "market_closed":
      return "ticker";
    case "post_only_would_trade":
      return "postOnly";
    case "fok_not_fillable":
      return "timeInForce";
    default:
      return "form";
  }
}

/** A server error as form errors: the message next to the field it concerns. */
export function orderErrorsOf(error: unknown): OrderErrors {
  if (!(error instanceof ApiError)) return { form: "Something went wrong. Please try again." };
  if (error.code === "rate_limited") {
    return { form: `Too many orders. Try again${error.retryAfterS ? ` in ${error.retryAfterS} s` : " shortly"}.` };
  }
  if (error.code === "unauthenticated") return { form: "Your session expired. Log in again to place the order." };
  return { [fieldOfError(error.code)]: error.message };
}
