import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api";
import { EMPTY_DRAFT, estimateOrder, fieldOfError, orderErrorsOf, PRICE_MAX, validateOrder, type OrderDraft } from "./orderValidation";
import { validateAmendment } from "./amendValidation";

const draft = (fields: Partial<OrderDraft>): OrderDraft => ({ ...EMPTY_DRAFT, ...fields });

describe("validateOrder", () => {
  it("builds a limit order body", () => {
    expect(validateOrder("MNAD", draft({ price: "31", quantity: " 2 " }))).toEqual({
      errors: {},
      order: { ticker: "MNAD", side: "buy", type: "limit", price: 31, quantity: 2, time_in_force: "gtc" },
    });
  });

  it("builds a market order body without price, time in force or post-only", () => {
    const { order } = validateOrder("MNAD", draft({ type: "market", side: "sell", price: "31", quantity: "3", postOnly: true }));
    expect(order).toEqual({ ticker: "MNAD", side: "sell", type: "market", quantity: 3 });
  });

  it("sends post_only only when chosen", () => {
    const { order } = validateOrder("MNAD", draft({ price: "31", quantity: "1", postOnly: true }));
    expect(order).toMatchObject({ post_only: true, time_in_force: "gtc" });
  });

  it.each([
    ["", "Enter a quantity."],
    ["0", "The quantity must be at least 1."],
    ["1.5", "The quantity must be a whole number."],
    ["-3", "The quantity must be a whole number."],
    ["abc", "The quantity must be a whole number."],
    ["1000000000001", "The quantity can be at most 1,000,000,000,000."],
  ])("rejects quantity %j", (quantity, message) => {
    const result = validateOrder("MNAD", draft({ price: "30", quantity }));
    expect(result.order).toBeNull();
    expect(result.errors.quantity).toBe(message);
  });

  it("needs a price for limit orders, in range", () => {
    expect(validateOrder("MNAD", draft({ quantity: "1" })).errors.price).toBe("Enter a price.");
    expect(validateOrder("MNAD", draft({ quantity: "1", price: String(PRICE_MAX + 1) })).errors.price).toMatch(/at most/);
  });

  it("allows post-only only with GTC", () => {
    const result = validateOrder("MNAD", draft({ price: "30", quantity: "1", timeInForce: "ioc", postOnly: true }));
    expect(result.errors.postOnly).toMatch(/Good till cancelled/);
  });

  it("checks credits for limit buys and shares for sells", () => {
    const buy = validateOrder("MNAD", draft({ price: "30", quantity: "4" }), { creditsAvailable: 100 });
    expect(buy.errors.quantity).toBe("This order needs 120 credits; you have 100 available.");
    expect(validateOrder("MNAD", draft({ price: "25", quantity: "4" }), { creditsAvailable: 100 }).order).not.toBeNull();
    const sell = validateOrder("MNAD", draft({ side: "sell", price: "30", quantity: "4" }), { sharesAvailable: 3 });
    expect(sell.errors.quantity).toBe("You have 3 shares available to sell.");
  });

  it("refuses a post-only order that would trade against the book", () => {
    const buy = validateOrder("MNAD", draft({ price: "32", quantity: "1", postOnly: true }), { bestAsk: 32, bestBid: 30 });
    expect(buy.errors.postOnly).toMatch(/below the best ask \(32\)/);
    const sell = validateOrder("MNAD", draft({ side: "sell", price: "30", quantity: "1", postOnly: true }), { bestAsk: 32, bestBid: 30 });
    expect(sell.errors.postOnly).toMatch(/above the best bid \(30\)/);
    expect(validateOrder("MNAD", draft({ price: "31", quantity: "1", postOnly: true }), { bestAsk: 32, bestBid: 30 }).order).not.toBeNull();
  });
});

describe("estimateOrder", () => {
  const asks = [
    { price: 10, quantity: 2, orders: 1 },
    { price: 11, quantity: 3, orders: 2 },
    { price: 13, quantity: 5, orders: 1 },
  ];

  it("walks the book best price first", () => {
    expect(estimateOrder("buy", 4, asks)).toEqual({ filled: 4, tradedValue: 42, unfilled: 0, total: 42, averagePrice: 10.5 });
  });

  it("stops at the limit and counts the resting rest at the limit price", () => {
    expect(estimateOrder("buy", 7, asks, 11)).toEqual({ filled: 5, tradedValue: 53, unfilled: 2, total: 75, averagePrice: 10.6 });
  });

  it("stops a market buy when the budget is spent", () => {
    expect(estimateOrder("buy", 10, asks, undefined, 30)).toMatchObject({ filled: 2, tradedValue: 20 });
    expect(estimateOrder("buy", 10, asks, undefined, 31)).toMatchObject({ filled: 3, tradedValue: 31 });
    expect(estimateOrder("buy", 10, asks, undefined, 42)).toMatchObject({ filled: 4, tradedValue: 42 });
  });

  it("sells into bids down to the limit", () => {
    const bids = [
      { price: 9, quantity: 1, orders: 1 },
      { price: 8, quantity: 5, orders: 1 },
    ];
    expect(estimateOrder("sell", 3, bids, 9)).toMatchObject({ filled: 1, tradedValue: 9, unfilled: 2 });
    expect(estimateOrder("sell", 3, [])).toMatchObject({ filled: 0, averagePrice: null, unfilled: 3 });
  });
});

describe("server errors", () => {
  it.each([
    ["invalid_price", "price"],
    ["insufficient_credits", "quantity"],
    ["insufficient_shares", "quantity"],
    ["invalid_quantity", "quantity"],
    ["unknown_ticker", "ticker"],
    ["market_closed", "ticker"],
    ["post_only_would_trade", "postOnly"],
    ["fok_not_fillable", "timeInForce"],
    ["too_many_open_orders", "form"],
  ])("%s goes next to %s", (code, field) => {
    expect(fieldOfError(code)).toBe(field);
  });

  it("shows the server's message on the field", () => {
    const error = new ApiError(422, "insufficient_credits", "account 7 has 100 credits available, needs 150");
    expect(orderErrorsOf(error)).toEqual({ quantity: "account 7 has 100 credits available, needs 150" });
    expect(orderErrorsOf(new ApiError(429, "rate_limited", "x", 3))).toEqual({ form: "Too many orders. Try again in 3 s." });
  });
});

describe("validateAmendment", () => {
  const order = {
    id: 4,
    symbol: "MNAD",
    side: "buy" as const,
    type: "limit" as const,
    price: 30,
    quantity: 5,
    remaining: 3,
    filled: 2,
    status: "open" as const,
    client_order_id: null,
    time_in_force: "gtc" as const,
    created_seq: 1,
    updated_seq: 1,
  };

  it("sends both fields when one changed", () => {
    expect(validateAmendment(order, "31", "3")).toEqual({ errors: {}, amendment: { price: 31, quantity: 3 } });
  });

  it("refuses an amendment that changes nothing, and bad numbers", () => {
    expect(validateAmendment(order, "30", "3").errors.form).toMatch(/Change the price or the quantity/);
    expect(validateAmendment(order, "x", "0").errors).toEqual({
      price: "Enter a whole price of at least 1.",
      quantity: "Enter a whole quantity of at least 1.",
    });
  });
});
