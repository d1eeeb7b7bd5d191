import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/state/States";
import type { Book } from "@/hooks/useBook";
import { formatNumber } from "@/lib/format";
import type { Level, Side } from "@/lib/types";
import { cn } from "@/lib/utils";

/** How many levels each side shows. */
export const BOOK_DEPTH = 12;

/** Each level with the running total from the best price outwards. */
export function withCumulative(levels: Level[]): (Level & { cumulative: number })[] {
  let running = 0;
  return levels.map((level) => {
    running += level.quantity;
    return { ...level, cumulative: running };
  });
}

/** The spread between the best ask and bid, or null when a side is empty. */
export function spreadOf(bids: Level[], asks: Level[]): number | null {
  const bid = bids[0];
  const ask = asks[0];
  return bid && ask ? ask.price - bid.price : null;
}

function LevelRow({
  level,
  side,
  maxCumulative,
  onPick,
}: {
  level: Level & { cumulative: number };
  side: Side;
  maxCumulative: number;
  onPick?: (price: number) => void;
}) {
  const width = maxCumulative > 0 ? (level.cumulative / maxCumulative) * 100 : 0;
  const bar = side === "buy" ? "var(--buy)" : "var(--sell)";
  return (
    <tr
      className={cn("font-mono text-xs tabular-nums", onPick && "cursor-pointer hover:bg-muted/60")}
      style={{
        backgroundImage: `linear-gradient(to left, color-mix(in oklch, ${bar} 16%, transparent) ${width}%, transparent ${width}%)`,
      }}
      onClick={onPick ? () => onPick(level.price) : undefined}
      title={onPick ? `Use price ${level.price} in the order form` : undefined}
    >
      <td className={cn("px-2 py-0.5", side === "buy" ? "text-buy" : "text-sell")}>{formatNumber(level.price)}</td>
      <td className="px-2 py-0.5 text-right">{formatNumber(level.quantity)}</td>
      <td className="px-2 py-0.5 text-right text-muted-foreground">{formatNumber(level.cumulative)}</td>
    </tr>
  );
}

/**
 * The order book ladder: asks above (best at the bottom), the spread, bids below (best at the
 * top); bars show cumulative depth. Clicking a level fills in the order form's price.
 */
export function OrderBook({ book, onPickPrice, className }: { book: Book; onPickPrice?: (price: number) => void; className?: string }) {
  const asks = withCumulative(book.asks.slice(0, BOOK_DEPTH));
  const bids = withCumulative(book.bids.slice(0, BOOK_DEPTH));
  const maxCumulative = Math.max(asks[asks.length - 1]?.cumulative ?? 0, bids[bids.length - 1]?.cumulative ?? 0);
  const spread = spreadOf(book.bids, book.asks);
  const bestBid = book.bids[0]?.price;
  const bestAsk = book.asks[0]?.price;

  return (
    <Card className={className}>
      <section aria-label="Order book">
        <CardHeader className="pb-2">
          <CardTitle>Order book</CardTitle>
        </CardHeader>
        <CardContent className="px-2">
          {!book.ready ? (
            <LoadingRows rows={8} label="Loading order book" />
          ) : asks.length === 0 && bids.length === 0 ? (
            <EmptyState title="The book is empty">No resting orders yet: place the first one.</EmptyState>
          ) : (
            <table className="w-full">
              <caption className="sr-only">Asks and bids with quantity and cumulative depth</caption>
              <thead>
                <tr className="text-xs text-muted-foreground">
                  <th scope="col" className="px-2 py-1 text-left font-medium">
                    Price
                  </th>
                  <th scope="col" className="px-2 py-1 text-right font-medium">
                    Quantity
                  </th>
                  <th scope="col" className="px-2 py-1 text-right font-medium">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody aria-label="Asks">
                {asks.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="px-2 py-1 text-center text-xs text-muted-foreground">
                      No asks
                    </td>
                  </tr>
                ) : (
                  [...asks].reverse().map((level) => (
                    <LevelRow key={level.price} level={level} side="sell" maxCumulative={maxCumulative} onPick={onPickPrice} />
                  ))
                )}
              </tbody>
              <tbody>
                <tr className="border-y bg-muted/40 text-xs">
                  <td colSpan={3} className="px-2 py-1 text-center">
                    <span className="text-muted-foreground">Spread </span>
                    <span className="font-mono tabular-nums" data-testid="spread">
                      {spread === null ? "—" : formatNumber(spread)}
                    </span>
                    {bestBid !== undefined && bestAsk !== undefined ? (
                      <span className="ml-2 text-muted-foreground">
                        ({formatNumber(bestBid)} / {formatNumber(bestAsk)})
                      </span>
                    ) : null}
                  </td>
                </tr>
              </tbody>
              <tbody aria-label="Bids">
                {bids.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="px-2 py-1 text-center text-xs text-muted-foreground">
                      No bids
                    </td>
                  </tr>
                ) : (
                  bids.map((level) => (
                    <LevelRow key={level.price} level={level} side="buy" maxCumulative={maxCumulative} onPick={onPickPrice} />
                  ))
                )}
              </tbody>
            </table>
          )}
        </CardContent>
      </section>
    </Card>
  );
}
