import { useCallback } from "react";
import { Link, useParams } from "react-router";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/state/States";
import { useBook } from "@/hooks/useBook";
import { useDraft } from "@/hooks/useDraft";
import { useTickers } from "@/hooks/useTickers";
import { CandleChart } from "@/features/ticker/CandleChart";
import { OpenOrders } from "@/features/ticker/OpenOrders";
import { OrderBook } from "@/features/ticker/OrderBook";
import { OrderForm } from "@/features/ticker/OrderForm";
import { TradesTape } from "@/features/ticker/TradesTape";
import { EMPTY_DRAFT, type OrderDraft } from "@/features/ticker/orderValidation";
import { changeColor, formatChange, formatChangePercent, formatCompact, formatNumber } from "@/lib/format";
import type { TickerSummary } from "@/lib/types";
import { cn } from "@/lib/utils";

function Stat({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("font-mono text-sm tabular-nums", className)}>{children}</dd>
    </div>
  );
}

/** The ticker's name and live numbers. */
function TickerHeader({ ticker }: { ticker: TickerSummary }) {
  return (
    <div className="flex flex-wrap items-end gap-x-6 gap-y-2">
      <div>
        <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
          {ticker.symbol}
          {ticker.status === "closed" ? <Badge variant="warning">Closed</Badge> : null}
        </h1>
        <p className="font-mono text-3xl font-semibold tabular-nums">
          <span className="sr-only">Last traded at </span>
          {formatNumber(ticker.last_price)}
        </p>
      </div>
      <dl className="grid grid-cols-4 gap-x-6 gap-y-1">
        <Stat label="24h change" className={changeColor(ticker.change)}>
          {formatChange(ticker.change)} <span className="text-xs">{formatChangePercent(ticker.change, ticker.last_price)}</span>
        </Stat>
        <Stat label="Bid" className="text-buy">
          {formatNumber(ticker.bid?.price)}
        </Stat>
        <Stat label="Ask" className="text-sell">
          {formatNumber(ticker.ask?.price)}
        </Stat>
        <Stat label="24h volume">{formatCompact(ticker.volume)}</Stat>
      </dl>
    </div>
  );
}

/** One ticker: chart, order book, trades, order entry and the user's open orders. */
export function TickerPage() {
  const { symbol: raw = "" } = useParams();
  const symbol = raw.toUpperCase();
  const tickers = useTickers();
  const book = useBook(symbol);
  const [draft, setDraft] = useDraft<OrderDraft>(`order:${symbol}`, EMPTY_DRAFT);
  const pickPrice = useCallback(
    (price: number) => setDraft((old) => ({ ...old, type: "limit", price: String(price) })),
    [setDraft],
  );
  const ticker = tickers.data?.find((candidate) => candidate.symbol === symbol);

  if (tickers.isError) {
    return <ErrorState error={tickers.error} title="Could not load the market" onRetry={() => void tickers.refetch()} />;
  }
  if (tickers.data && !ticker) {
    return (
      <div className="mx-auto mt-10 max-w-md text-center">
        <h1 className="text-2xl font-semibold tracking-tight">No ticker {symbol}</h1>
        <p className="mt-2 text-muted-foreground">The exchange does not list this symbol.</p>
        <Button asChild className="mt-6">
          <Link to="/">See all markets</Link>
        </Button>
      </div>
    );
  }

  return (
    <div className="grid gap-4">
      <Link to="/" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden="true" /> Markets
      </Link>
      {ticker ? <TickerHeader ticker={ticker} /> : <Skeleton className="h-16 w-64" aria-label="Loading ticker" />}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <CandleChart symbol={symbol} />
        </div>
        <OrderForm symbol={symbol} book={book} draft={draft} setDraft={setDraft} className="self-start lg:row-span-2" />
        <div className="grid gap-4 sm:grid-cols-2 lg:col-span-2">
          <OrderBook book={book} onPickPrice={pickPrice} />
          <TradesTape symbol={symbol} />
        </div>
        <OpenOrders symbol={symbol} className="lg:col-span-3" />
      </div>
    </div>
  );
}
