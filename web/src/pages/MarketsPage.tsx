import { Link, useNavigate } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { useTickers } from "@/hooks/useTickers";
import { changeColor, formatChange, formatChangePercent, formatCompact, formatNumber } from "@/lib/format";
import { cn } from "@/lib/utils";

/** Every ticker with its live last price, bid, ask, 24-hour change and volume. */
export function MarketsPage() {
  const tickers = useTickers();
  const navigate = useNavigate();

  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Markets</h1>
        <p className="text-sm text-muted-foreground">Live prices; change and volume over the last 24 hours.</p>
      </div>
      <Card>
        <CardHeader className="pb-2">
          <CardTitle>Tickers</CardTitle>
          <CardDescription>Select a ticker to see its chart and order book, and to trade.</CardDescription>
        </CardHeader>
        <CardContent>
          {tickers.isPending ? (
            <LoadingRows label="Loading tickers" />
          ) : tickers.isError ? (
            <ErrorState error={tickers.error} title="Could not load the markets" onRetry={() => void tickers.refetch()} />
          ) : tickers.data.length === 0 ? (
            <EmptyState title="No tickers yet">An administrator creates tickers; they will show up here.</EmptyState>
          ) : (
            <Table aria-label="Tickers">
              <TableHeader>
                <TableRow>
                  <TableHead>Symbol</TableHead>
                  <TableHead className="text-right">Last</TableHead>
                  <TableHead className="text-right">Change</TableHead>
                  <TableHead className="text-right">Bid</TableHead>
                  <TableHead className="text-right">Ask</TableHead>
                  <TableHead className="text-right">Volume</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tickers.data.map((ticker) => (
                  <TableRow
                    key={ticker.symbol}
                    className="cursor-pointer"
                    onClick={() => void navigate(`/ticker/${encodeURIComponent(ticker.symbol)}`)}
                  >
                    <TableCell className="font-medium">
                      <Link
                        to={`/ticker/${encodeURIComponent(ticker.symbol)}`}
                        className="underline-offset-4 hover:underline"
                        onClick={(event) => event.stopPropagation()}
                      >
                        {ticker.symbol}
                      </Link>
                      {ticker.status === "closed" ? (
                        <Badge variant="warning" className="ml-2">
                          Closed
                        </Badge>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-right font-mono tabular-nums">{formatNumber(ticker.last_price)}</TableCell>
                    <TableCell className={cn("text-right font-mono tabular-nums", changeColor(ticker.change))}>
                      {formatChange(ticker.change)}
                      <span className="ml-1 hidden text-xs sm:inline">{formatChangePercent(ticker.change, ticker.last_price)}</span>
                    </TableCell>
                    <TableCell className="text-right font-mono tabular-nums text-buy">{formatNumber(ticker.bid?.price)}</TableCell>
                    <TableCell className="text-right font-mono tabular-nums text-sell">{formatNumber(ticker.ask?.price)}</TableCell>
                    <TableCell className="text-right font-mono tabular-nums">{formatCompact(ticker.volume)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
