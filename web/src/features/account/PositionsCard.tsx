import { useMemo } from "react";
import { Link } from "react-router";
import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { useAccount } from "@/hooks/useAccount";
import { FILLS_LIMIT, type useFills } from "@/hooks/useFills";
import { useTickers } from "@/hooks/useTickers";
import { changeColor, formatChange, formatNumber } from "@/lib/format";
import { cn } from "@/lib/utils";
import { valuePositions, type PositionValue } from "./costBasis";

/** Positions valued at the last price, with the P&L against the average cost of the fills. */
export function PositionsCard({
  account,
  fills,
}: {
  account: ReturnType<typeof useAccount>;
  fills: ReturnType<typeof useFills>;
}) {
  const tickers = useTickers();
  const fillCount = fills.data?.items.length ?? 0;
  const values = useMemo(() => {
    if (!account.data) return [];
    const prices = new Map((tickers.data ?? []).map((ticker) => [ticker.symbol, ticker.last_price] as const));
    return valuePositions(account.data.positions, fills.data?.items ?? [], prices);
  }, [account.data, fills.data, tickers.data]);
  const totalValue = values.reduce((sum, value) => sum + (value.value ?? 0), 0);

  return (
    <SectionCard
      title="Positions"
      description={
        <>
          Valued at each ticker&apos;s last price. P&amp;L is against the average cost of the shares your fills bought
          {fills.isSuccess ? ` (${formatNumber(fillCount)} ${fillCount === 1 ? "fill" : "fills"} loaded, the newest ${formatNumber(FILLS_LIMIT)} at most)` : ""}
          ; shares no loaded fill explains (granted, or bought earlier) have no known cost and are left out of P&amp;L.
        </>
      }
    >
      {account.isPending ? (
        <LoadingRows rows={3} label="Loading positions" />
      ) : account.isError ? (
        <ErrorState error={account.error} title="Could not load your positions" onRetry={() => void account.refetch()} />
      ) : values.length === 0 ? (
        <EmptyState title="No shares yet">
          Buy on a{" "}
          <Link to="/" className="underline underline-offset-4">
            market
          </Link>{" "}
          to open a position.
        </EmptyState>
      ) : (
        <>
          {fills.isError ? (
            <p role="alert" className="mb-2 text-xs text-destructive">
              Your fills could not be loaded, so P&amp;L is unknown. {fills.error.message}
            </p>
          ) : null}
          <Table aria-label="Positions">
            <TableHeader>
              <TableRow>
                <TableHead>Ticker</TableHead>
                <TableHead className="text-right">Shares</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Last</TableHead>
                <TableHead className="text-right">Value</TableHead>
                <TableHead className="text-right">Avg cost</TableHead>
                <TableHead className="text-right">P&amp;L</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {values.map((value) => (
                <PositionRow key={value.symbol} value={value} />
              ))}
            </TableBody>
          </Table>
          <p className="mt-2 text-right text-sm">
            Total value <span className="font-mono font-medium tabular-nums">{formatNumber(Math.round(totalValue))}</span>
          </p>
        </>
      )}
    </SectionCard>
  );
}

function PositionRow({ value }: { value: PositionValue }) {
  const pnl = value.pnl === null ? null : Math.round(value.pnl);
  return (
    <TableRow>
      <TableCell className="font-medium">
        <Link to={`/ticker/${encodeURIComponent(value.symbol)}`} className="underline-offset-4 hover:underline">
          {value.symbol}
        </Link>
      </TableCell>
      <TableCell className="text-right font-mono tabular-nums">
        {formatNumber(value.shares)}
        {value.held > 0 ? <span className="block text-xs text-muted-foreground">{formatNumber(value.held)} held</span> : null}
      </TableCell>
      <TableCell className="hidden text-right font-mono tabular-nums sm:table-cell">{formatNumber(value.lastPrice)}</TableCell>
      <TableCell className="text-right font-mono tabular-nums">{formatNumber(value.value)}</TableCell>
      <TableCell className="text-right font-mono tabular-nums">
        {value.averageCost === null ? "—" : value.averageCost.toFixed(2)}
      </TableCell>
      <TableCell className={cn("text-right font-mono tabular-nums", changeColor(pnl))}>
        {formatChange(pnl)}
        {value.pnlFraction !== null ? (
          <span className="block text-xs">{`${value.pnlFraction >= 0 ? "+" : "−"}${Math.abs(value.pnlFraction * 100).toFixed(2)}%`}</span>
        ) : null}
        {pnl !== null && value.costedShares < value.shares ? (
          <span className="block text-xs text-muted-foreground">
            on {formatNumber(value.costedShares)} of {formatNumber(value.shares)}
          </span>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
