import { SectionCard } from "@/components/layout/SectionCard";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { OpenOrdersTable } from "@/features/orders/OpenOrdersTable";
import { useOpenOrders } from "@/hooks/useOrders";

/** Every open order across tickers, with Cancel and Amend on each row. */
export function AccountOpenOrders() {
  const orders = useOpenOrders();
  return (
    <SectionCard title="Open orders" description="Your resting limit orders on every ticker.">
      {orders.isPending ? (
        <LoadingRows rows={3} label="Loading open orders" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} title="Could not load your orders" onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <EmptyState title="No open orders">Limit orders that do not trade at once rest here.</EmptyState>
      ) : (
        <OpenOrdersTable orders={orders.data} label="Open orders" showTicker />
      )}
    </SectionCard>
  );
}
