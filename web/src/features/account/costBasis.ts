/**
 * Cost basis and profit and loss of positions, from the account's own fills. The method is
 * the average cost: a buy adds its price times quantity to the cost of the shares held; a sell
 * takes out its share of that cost at the average and realises the difference. Shares the
 * fills do not explain (granted by an administrator, or bought before the oldest fill loaded)
 * have no known cost and are left out of the profit and loss.
 */
import type { Fill, Position } from "@/lib/types";

/** What the fills say about one ticker. */
export interface CostBasis {
  /** Shares the fills account for (bought and not yet sold). */
  quantity: number;
  /** What those shares cost in total, in credits. */
  cost: number;
  /** Profit or loss realised by sells, in credits. */
  realized: number;
  /** Shares sold that the fills had not shown being bought (their cost is unknown). */
  unexplainedSold: number;
}

/** An empty basis. */
const NONE: CostBasis = { quantity: 0, cost: 0, realized: 0, unexplainedSold: 0 };

/** The average-cost basis of every ticker in `fills` (any order: they are replayed by seq). */
export function costBasisByTicker(fills: Fill[]): Map<string, CostBasis> {
  const oldestFirst = [...fills].sort((a, b) => a.seq - b.seq);
  const bases = new Map<string, CostBasis>();
  for (const fill of oldestFirst) {
    const basis = { ...(bases.get(fill.symbol) ?? NONE) };
    if (fill.side === "buy") {
      basis.quantity += fill.quantity;
      basis.cost += fill.price * fill.quantity;
    } else {
      const known = Math.min(fill.quantity, basis.quantity);
      const average = basis.quantity > 0 ? basis.cost / basis.quantity : 0;
      basis.realized += known * (fill.price - average);
      basis.cost -= known * average;
      basis.quantity -= known;
      basis.unexplainedSold += fill.quantity - known;
      if (basis.quantity === 0) basis.cost = 0;
    }
    bases.set(fill.symbol, basis);
  }
  return bases;
}

/** One position, valued at the last price. */
export interface PositionValue {
  symbol: string;
  /** Shares owned (available plus held by open sell orders). */
  shares: number;
  /** Of those, held by open sell orders. */
  held: number;
  lastPrice: number | null;
  /** `shares` times the last price; null without a last price. */
  value: number | null;
  /** The average cost per share of the shares the fills explain; null when they explain none. */
  averageCost: number | null;
  /** Shares whose cost is known (at most `shares`). */
  costedShares: number;
  /** Unrealised profit or loss of the costed shares at the last price; null when unknown. */
  pnl: number | null;
  /** `pnl` as a fraction of what the costed shares cost; null when unknown. */
  pnlFraction: number | null;
}

/** Values the positions at `lastPrices` with the fills' cost basis. Empty positions are left out. */
export function valuePositions(
  positions: Position[],
  fills: Fill[],
  lastPrices: ReadonlyMap<string, number | null>,
): PositionValue[] {
  const bases = costBasisByTicker(fills);
  return positions
    .filter((position) => position.available + position.held > 0)
    .map((position) => {
      const shares = position.available + position.held;
      const basis = bases.get(position.symbol) ?? NONE;
      const lastPrice = lastPrices.get(position.symbol) ?? null;
      const costedShares = Math.min(shares, basis.quantity);
      const averageCost = basis.quantity > 0 ? basis.cost / basis.quantity : null;
      const cost = averageCost === null ? null : averageCost * costedShares;
      const pnl = lastPrice === null || cost === null || costedShares === 0 ? null : lastPrice * costedShares - cost;
      return {
        symbol: position.symbol,
        shares,
        held: position.held,
        lastPrice,
        value: lastPrice === null ? null : lastPrice * shares,
        averageCost,
        costedShares,
        pnl,
        pnlFraction: pnl === null || cost === null || cost === 0 ? null : pnl / cost,
      };
    })
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}
