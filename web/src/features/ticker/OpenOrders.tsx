import { Link } from "react-router";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, LoadingRows } from "@/components/state/States";
import { OpenOrdersTable } from "@/features/orders/OpenOrdersTable";
import { useOpenOrders } from "@/hooks/useOrders";
import { useSession } from "@/hooks/useSession";

/** The user's open orders for one ticker, with Cancel and Amend on each row. */
export function OpenOrders({ symbol, className }: { symbol: string; className?: string }) {
  const { status } = useSession();
  const orders = useOpenOrders(symbol);
  return (
    <Card className={className}>
      <section aria-label="Open orders">
        <CardHeader className="pb-2">
          <CardTitle>Open orders</CardTitle>
        </CardHeader>
        <CardContent>
          {status !== "authenticated" ? (
            <EmptyState title="Your orders show up here">
              <Link to="/login" className="underline underline-offset-4">
                Log in
              </Link>{" "}
              to see and manage them.
            </EmptyState>
          ) : orders.isPending ? (
            <LoadingRows rows={3} label="Loading open orders" />
          ) : orders.isError ? (
            <ErrorState error={orders.error} title="Could not load your orders" onRetry={() => void orders.refetch()} />
          ) : orders.data.length === 0 ? (
            <EmptyState title={`No open orders for ${symbol}`}>Limit orders that do not trade at once rest here.</EmptyState>
          ) : (
            <OpenOrdersTable orders={orders.data} label={`Open orders for ${symbol}`} showTicker={false} />
          )}
        </CardContent>
      </section>
    </Card>
  );
}
