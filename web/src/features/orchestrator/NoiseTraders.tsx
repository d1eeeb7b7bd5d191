import { RefreshCw } from "lucide-react";
import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ORCHESTRATED_REFRESH_MS, useOrchestratedAccounts } from "@/hooks/useOrchestrator";
import { formatNumber, formatTime } from "@/lib/format";
import type { OrchestratedAccount, Position } from "@/lib/types";

/** A trader's shares in words ("MNAD 10 (2 held)"), or a dash. */
export function positionsText(positions: Position[]): string {
  const owned = positions.filter((position) => position.available + position.held > 0);
  if (owned.length === 0) return "—";
  return owned
    .map((position) => {
      const total = position.available + position.held;
      return `${position.symbol} ${formatNumber(total)}${position.held > 0 ? ` (${formatNumber(position.held)} held)` : ""}`;
    })
    .join(", ");
}

/** How many traders are active and closed. */
export function countByStatus(accounts: OrchestratedAccount[]): { active: number; closed: number } {
  const active = accounts.filter((account) => account.status === "active").length;
  return { active, closed: accounts.length - active };
}

/** The orchestrator's noise traders, alive or liquidated, with their balances and positions. */
export function NoiseTraders() {
  const accounts = useOrchestratedAccounts();
  const counts = accounts.data ? countByStatus(accounts.data) : null;
  return (
    <SectionCard
      title="Noise traders"
      description={
        counts
          ? `${counts.active} active, ${counts.closed} liquidated. Updated ${formatTime(accounts.dataUpdatedAt)}; refreshed every ${
              ORCHESTRATED_REFRESH_MS / 1000
            } s and whenever one joins or is liquidated.`
          : "The accounts you created to trade for you."
      }
      actions={
        <Button variant="outline" size="sm" onClick={() => void accounts.refetch()} disabled={accounts.isFetching}>
          <RefreshCw aria-hidden="true" className={accounts.isFetching ? "animate-spin" : undefined} />
          Refresh
        </Button>
      }
    >
      {accounts.isPending ? (
        <LoadingRows rows={5} label="Loading noise traders" />
      ) : accounts.isError ? (
        <ErrorState error={accounts.error} title="Could not load your noise traders" onRetry={() => void accounts.refetch()} />
      ) : accounts.data.length === 0 ? (
        <EmptyState title="No noise traders yet">
          Run the bots with your orchestrator account (see the README); the traders they create show up here.
        </EmptyState>
      ) : (
        <Table aria-label="Noise traders">
          <TableHeader>
            <TableRow>
              <TableHead>Trader</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="text-right">Available</TableHead>
              <TableHead className="hidden text-right sm:table-cell">Held</TableHead>
              <TableHead className="text-right">Total credits</TableHead>
              <TableHead>Positions</TableHead>
              <TableHead className="hidden text-right sm:table-cell">Open orders</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {accounts.data.map((account) => (
              <TableRow key={account.account_id} className={account.status === "closed" ? "text-muted-foreground" : undefined}>
                <TableCell className="font-medium">#{account.account_id}</TableCell>
                <TableCell>
                  <Badge variant={account.status === "active" ? "success" : "secondary"}>
                    {account.status === "active" ? "Active" : "Liquidated"}
                  </Badge>
                </TableCell>
                <TableCell className="text-right font-mono tabular-nums">{formatNumber(account.credits_available)}</TableCell>
                <TableCell className="hidden text-right font-mono tabular-nums sm:table-cell">{formatNumber(account.credits_held)}</TableCell>
                <TableCell className="text-right font-mono tabular-nums">
                  {formatNumber(account.credits_available + account.credits_held)}
                </TableCell>
                <TableCell className="min-w-32 text-sm">{positionsText(account.positions)}</TableCell>
                <TableCell className="hidden text-right font-mono tabular-nums sm:table-cell">{formatNumber(account.orders_open)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
