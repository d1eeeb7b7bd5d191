import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTransfers } from "@/hooks/useTransfers";
import { formatNumber } from "@/lib/format";
import { Stamp } from "./Stamp";
import type { Transfer } from "@/lib/types";
import { cn } from "@/lib/utils";

/** Rows shown (the hook keeps more). */
const ROWS = 20;

/** Where a transfer came from or went, in words. */
export function transferParty(transfer: Transfer): string {
  if (transfer.reason === "deposit") return "Deposit";
  const who = transfer.counterparty === null ? "an account" : `account #${transfer.counterparty}`;
  const reason = transfer.reason === "payment" ? "" : ` (${transfer.reason})`;
  return `${transfer.direction === "in" ? "From" : "To"} ${who}${reason}`;
}

/** Credits sent and received, newest first, live. */
export function TransfersCard() {
  const transfers = useTransfers();
  return (
    <SectionCard title="Transfers" description="Credits you sent and received.">
      {transfers.isPending ? (
        <LoadingRows rows={3} label="Loading transfers" />
      ) : transfers.isError ? (
        <ErrorState error={transfers.error} title="Could not load your transfers" onRetry={() => void transfers.refetch()} />
      ) : transfers.data.items.length === 0 ? (
        <EmptyState title="No transfers yet">Credits you send or receive show up here.</EmptyState>
      ) : (
        <Table aria-label="Transfers">
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Counterparty</TableHead>
              <TableHead className="text-right">Amount</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {transfers.data.items.slice(0, ROWS).map((transfer, index) => (
              <TableRow key={`${transfer.seq}:${index}`}>
                <TableCell className="whitespace-nowrap text-muted-foreground"><Stamp timeMs={transfer.time_ms} /></TableCell>
                <TableCell>{transferParty(transfer)}</TableCell>
                <TableCell
                  className={cn("text-right font-mono tabular-nums", transfer.direction === "in" ? "text-buy" : "text-sell")}
                >
                  {transfer.direction === "in" ? "+" : "−"}
                  {formatNumber(transfer.amount)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
