import { SectionCard } from "@/components/layout/SectionCard";
import { ErrorState, LoadingRows } from "@/components/state/States";
import type { useAccount } from "@/hooks/useAccount";
import { formatNumber } from "@/lib/format";

/** Available, held and total credits, and how many orders are open. */
export function BalancesCard({ account }: { account: ReturnType<typeof useAccount> }) {
  return (
    <SectionCard title="Balances" description="Held credits back your open buy orders.">
      {account.isPending ? (
        <LoadingRows rows={2} label="Loading balances" />
      ) : account.isError ? (
        <ErrorState error={account.error} title="Could not load your account" onRetry={() => void account.refetch()} />
      ) : (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Figure label="Available credits" value={account.data.credits_available} emphasis />
          <Figure label="Held credits" value={account.data.credits_held} />
          <Figure label="Total credits" value={account.data.credits_available + account.data.credits_held} />
          <Figure label="Open orders" value={account.data.orders_open} />
        </dl>
      )}
    </SectionCard>
  );
}

function Figure({ label, value, emphasis = false }: { label: string; value: number; emphasis?: boolean }) {
  return (
    <div className="rounded-lg border bg-muted/40 p-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={emphasis ? "font-mono text-xl font-semibold tabular-nums" : "font-mono text-lg tabular-nums"}>
        {formatNumber(value)}
      </dd>
    </div>
  );
}
