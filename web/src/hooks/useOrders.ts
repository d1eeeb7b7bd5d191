/**
 * The caller's open orders (all, or one ticker's), refreshed whenever the `account` channel
 * reports an order event or a fill, plus the cancel and amend mutations.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { AmendOrder, Order, OrderResult, ServerMessage } from "@/lib/types";
import { useSession } from "./useSession";
import { useChannel } from "./useSocket";

/** True when an `account` message may change the open orders. */
export function changesOrders(message: ServerMessage): boolean {
  return message.type === "order" || message.type === "fill" || message.type === "resync";
}

/** Applies an order command's result to every cached orders list at once (before the refetch). */
export function applyOrderResult(orders: Order[] | undefined, result: OrderResult): Order[] | undefined {
  const updated = result.order;
  if (!orders || !updated) return orders;
  const rest = orders.filter((order) => order.id !== updated.id);
  if (updated.status !== "open") return rest;
  const index = orders.findIndex((order) => order.id === updated.id);
  if (index === -1) return orders;
  const copy = [...orders];
  copy[index] = updated;
  return copy;
}

/** Open orders of `ticker` (or every ticker), live; disabled when logged out. */
export function useOpenOrders(ticker?: string) {
  const { status } = useSession();
  const queryClient = useQueryClient();
  const enabled = status === "authenticated";
  useChannel(enabled ? "account" : null, (message) => {
    if (changesOrders(message)) void queryClient.invalidateQueries({ queryKey: queryKeys.ordersScope });
  });
  return useQuery({
    queryKey: queryKeys.orders(ticker),
    queryFn: () => api.orders("open", ticker),
    enabled,
  });
}

/** Cancel and amend an open order; the orders lists update at once and then refetch. */
export function useOrderActions() {
  const queryClient = useQueryClient();
  const settle = (result: OrderResult) => {
    queryClient.setQueriesData<Order[]>({ queryKey: queryKeys.ordersScope }, (old) => applyOrderResult(old, result));
    void queryClient.invalidateQueries({ queryKey: queryKeys.ordersScope });
    void queryClient.invalidateQueries({ queryKey: queryKeys.account });
  };
  const cancel = useMutation({ mutationFn: (id: number) => api.cancelOrder(id), onSuccess: settle });
  const amend = useMutation({
    mutationFn: ({ id, amendment }: { id: number; amendment: AmendOrder }) => api.amendOrder(id, amendment),
    onSuccess: settle,
  });
  return { cancel, amend };
}
