import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { useTrades } from "@/hooks/useTrades";
import { formatNumber, formatTime } from "@/lib/format";
import { cn } from "@/lib/utils";

/** How many trades the tape shows. */
const SHOWN = 40;

/** The live trades of a ticker, newest first, coloured by the taker's side. */
export function TradesTape({ symbol, className }: { symbol: string; className?: string }) {
  const trades = useTrades(symbol);
  return (
    <Card className={className}>
      <section aria-label="Trades">
        <CardHeader className="pb-2">
          <CardTitle>Trades</CardTitle>
        </CardHeader>
        <CardContent className="px-2">
          {trades.isPending ? (
            <LoadingRows rows={8} label="Loading trades" />
          ) : trades.isError ? (
            <ErrorState error={trades.error} title="Could not load trades" onRetry={() => void trades.refetch()} />
          ) : trades.data.items.length === 0 ? (
            <EmptyState title="No trades yet">Trades show up here the moment they happen.</EmptyState>
          ) : (
            <div className="max-h-[420px] overflow-y-auto">
              <table className="w-full">
                <caption className="sr-only">Recent trades, newest first</caption>
                <thead className="sticky top-0 bg-card">
                  <tr className="text-xs text-muted-foreground">
                    <th scope="col" className="px-2 py-1 text-left font-medium">
                      Time
                    </th>
                    <th scope="col" className="px-2 py-1 text-right font-medium">
                      Price
                    </th>
                    <th scope="col" className="px-2 py-1 text-right font-medium">
                      Quantity
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {trades.data.items.slice(0, SHOWN).map((trade, index) => (
                    <tr key={`${trade.seq}-${index}-${trade.price}-${trade.quantity}`} className="font-mono text-xs tabular-nums">
                      <td className="px-2 py-0.5 text-muted-foreground">{formatTime(trade.time_ms)}</td>
                      <td className={cn("px-2 py-0.5 text-right", trade.taker_side === "buy" ? "text-buy" : "text-sell")}>
                        <span className="sr-only">{trade.taker_side === "buy" ? "Buy " : "Sell "}</span>
                        {formatNumber(trade.price)}
                      </td>
                      <td className="px-2 py-0.5 text-right">{formatNumber(trade.quantity)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </section>
    </Card>
  );
}
