import { describe, expect, it } from "vitest";
import type { Fill, Side } from "@/lib/types";
import { costBasisByTicker, valuePositions } from "./costBasis";

let nextSeq = 1;
function fill(side: Side, price: number, quantity: number, symbol = "MNAD", seq = nextSeq++): Fill {
  return { seq, time_ms: seq * 1000, order_id: seq, symbol, side, price, quantity, role: "taker" };
}

describe("costBasisByTicker", () => {
  it("averages the cost of buys", () => {
    const basis = costBasisByTicker([fill("buy", 10, 2), fill("buy", 16, 1)]).get("MNAD");
    expect(basis).toEqual({ quantity: 3, cost: 36, realized: 0, unexplainedSold: 0 });
  });

  it("sells at the average cost and realises the difference", () => {
    const basis = costBasisByTicker([fill("buy", 10, 2), fill("buy", 16, 2), fill("sell", 20, 1)]).get("MNAD");
    // Average 13: one share out costs 13 and realises 20 - 13.
    expect(basis).toEqual({ quantity: 3, cost: 39, realized: 7, unexplainedSold: 0 });
  });

  it("replays fills by seq whatever order they come in (the API sends newest first)", () => {
    const buy = fill("buy", 10, 1);
    const sell = fill("sell", 15, 1);
    const rebuy = fill("buy", 30, 1);
    const newestFirst = costBasisByTicker([rebuy, sell, buy]).get("MNAD");
    expect(newestFirst).toEqual({ quantity: 1, cost: 30, realized: 5, unexplainedSold: 0 });
  });

  it("counts sells of shares the fills never showed being bought as unexplained", () => {
    const basis = costBasisByTicker([fill("buy", 10, 1), fill("sell", 12, 3)]).get("MNAD");
    expect(basis).toEqual({ quantity: 0, cost: 0, realized: 2, unexplainedSold: 2 });
  });

  it("keeps tickers apart", () => {
    const bases = costBasisByTicker([fill("buy", 10, 1, "AAA"), fill("buy", 50, 2, "BBB")]);
    expect(bases.get("AAA")?.cost).toBe(10);
    expect(bases.get("BBB")?.cost).toBe(100);
  });
});

describe("valuePositions", () => {
  it("values a position at the last price with its P&L against the average cost", () => {
    const [value] = valuePositions(
      [{ symbol: "MNAD", available: 3, held: 1 }],
      [fill("buy", 10, 2), fill("buy", 20, 2)],
      new Map([["MNAD", 18]]),
    );
    expect(value).toMatchObject({ shares: 4, held: 1, value: 72, averageCost: 15, costedShares: 4, pnl: 12 });
    expect(value?.pnlFraction).toBeCloseTo(0.2);
  });

  it("leaves shares without a fill (granted) out of the P&L but not out of the value", () => {
    const [value] = valuePositions([{ symbol: "MNAD", available: 10, held: 0 }], [fill("buy", 10, 4)], new Map([["MNAD", 12]]));
    expect(value).toMatchObject({ shares: 10, value: 120, averageCost: 10, costedShares: 4, pnl: 8 });
  });

  it("has no P&L when no fill explains the shares or there is no last price", () => {
    const values = valuePositions(
      [
        { symbol: "GIFT", available: 5, held: 0 },
        { symbol: "MNAD", available: 1, held: 0 },
      ],
      [fill("buy", 10, 1, "MNAD")],
      new Map([["GIFT", 7]]),
    );
    expect(values[0]).toMatchObject({ symbol: "GIFT", value: 35, averageCost: null, pnl: null, pnlFraction: null });
    expect(values[1]).toMatchObject({ symbol: "MNAD", value: null, averageCost: 10, pnl: null });
  });

  it("drops empty positions and sorts by symbol", () => {
    const values = valuePositions(
      [
        { symbol: "ZED", available: 1, held: 0 },
        { symbol: "NIL", available: 0, held: 0 },
        { symbol: "ABC", available: 0, held: 2 },
      ],
      [],
      new Map(),
    );
    expect(values.map((value) => value.symbol)).toEqual(["ABC", "ZED"]);
  });
});
