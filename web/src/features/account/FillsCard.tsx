import { useState } from "react";
import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { useFills } from "@/hooks/useFills";
import { formatNumber } from "@/lib/format";
import { Stamp } from "./Stamp";

/** Rows shown at first, and added by "Show more". */
const PAGE_ROWS = 25;

/** The account's trades, newest first, live. */
export function FillsCard({ fills }: { fills: ReturnType<typeof useFills> }) {
  const [shown, setShown] = useState(PAGE_ROWS);
  return (
    <SectionCard title="Fills" description="Your trades, newest first.">
      {fills.isPending ? (
        <LoadingRows rows={4} label="Loading fills" />
      ) : fills.isError ? (
        <ErrorState error={fills.error} title="Could not load your fills" onRetry={() => void fills.refetch()} />
      ) : fills.data.items.length === 0 ? (
        <EmptyState title="No fills yet">When one of your orders trades, it shows up here.</EmptyState>
      ) : (
        <>
          <Table aria-label="Fills">
            <TableHeader>
              <TableRow>
                <TableHead>Time</TableHead>
                <TableHead>Ticker</TableHead>
                <TableHead>Side</TableHead>
                <TableHead className="text-right">Price</TableHead>
                <TableHead className="text-right">Quantity</TableHead>
                <TableHead className="hidden sm:table-cell">Role</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {fills.data.items.slice(0, shown).map((fill, index) => (
                <TableRow key={`${fill.seq}:${fill.order_id}:${index}`}>
                  <TableCell className="whitespace-nowrap text-muted-foreground"><Stamp timeMs={fill.time_ms} /></TableCell>
                  <TableCell className="font-medium">{fill.symbol}</TableCell>
                  <TableCell>
                    <Badge variant={fill.side === "buy" ? "buy" : "sell"}>{fill.side === "buy" ? "Buy" : "Sell"}</Badge>
                  </TableCell>
                  <TableCell className="text-right font-mono tabular-nums">{formatNumber(fill.price)}</TableCell>
                  <TableCell className="text-right font-mono tabular-nums">{formatNumber(fill.quantity)}</TableCell>
                  <TableCell className="hidden capitalize text-muted-foreground sm:table-cell">{fill.role}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {fills.data.items.length > shown ? (
            <Button variant="outline" size="sm" className="mt-3" onClick={() => setShown((rows) => rows + PAGE_ROWS)}>
              Show more fills
            </Button>
          ) : null}
        </>
      )}
    </SectionCard>
  );
}
