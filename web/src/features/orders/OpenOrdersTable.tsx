import { useState } from "react";
import { Link } from "react-router";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AmendDialog } from "@/features/ticker/AmendDialog";
import { useOrderActions } from "@/hooks/useOrders";
import { ApiError } from "@/lib/api";
import { formatNumber } from "@/lib/format";
import type { Order } from "@/lib/types";

/**
 * Open orders as a table with Amend and Cancel on each row, shared by the ticker page (one
 * ticker) and the account page (every ticker, with a Ticker column linking to its page).
 */
export function OpenOrdersTable({ orders, label, showTicker }: { orders: Order[]; label: string; showTicker: boolean }) {
  const { cancel, amend } = useOrderActions();
  const [amending, setAmending] = useState<Order | null>(null);
  const [cancelError, setCancelError] = useState<{ id: number; message: string } | null>(null);

  const onCancel = (order: Order) => {
    setCancelError(null);
    cancel.mutate(order.id, {
      onError: (error) =>
        setCancelError({ id: order.id, message: error instanceof ApiError ? error.message : "Could not cancel the order." }),
    });
  };

  return (
    <>
      <Table aria-label={label}>
        <TableHeader>
          <TableRow>
            {showTicker ? <TableHead>Ticker</TableHead> : null}
            <TableHead>Side</TableHead>
            <TableHead className="text-right">Price</TableHead>
            <TableHead className="text-right">Remaining</TableHead>
            <TableHead className="hidden text-right sm:table-cell">Filled</TableHead>
            <TableHead className="hidden sm:table-cell">Order</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {orders.map((order) => (
            <TableRow key={order.id} data-order-id={order.id}>
              {showTicker ? (
                <TableCell className="font-medium">
                  <Link to={`/ticker/${encodeURIComponent(order.symbol)}`} className="underline-offset-4 hover:underline">
                    {order.symbol}
                  </Link>
                </TableCell>
              ) : null}
              <TableCell>
                <Badge variant={order.side === "buy" ? "buy" : "sell"}>{order.side === "buy" ? "Buy" : "Sell"}</Badge>
              </TableCell>
              <TableCell className="text-right font-mono tabular-nums">{formatNumber(order.price)}</TableCell>
              <TableCell className="text-right font-mono tabular-nums">{formatNumber(order.remaining)}</TableCell>
              <TableCell className="hidden text-right font-mono tabular-nums sm:table-cell">{formatNumber(order.filled)}</TableCell>
              <TableCell className="hidden text-muted-foreground sm:table-cell">
                #{order.id} · {(order.time_in_force ?? "").toUpperCase()}
              </TableCell>
              <TableCell className="text-right">
                <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                  <Button size="sm" variant="outline" onClick={() => setAmending(order)} aria-label="Amend" title={`Amend order #${order.id}`}>
                    Amend
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    className="text-destructive hover:text-destructive"
                    disabled={cancel.isPending && cancel.variables === order.id}
                    onClick={() => onCancel(order)}
                    aria-label="Cancel"
                    title={`Cancel order #${order.id}`}
                  >
                    Cancel
                  </Button>
                </div>
                {cancelError?.id === order.id ? (
                  <p role="alert" className="mt-1 text-xs text-destructive">
                    {cancelError.message}
                  </p>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {amending ? <AmendDialog order={amending} amend={amend} onClose={() => setAmending(null)} /> : null}
    </>
  );
}
