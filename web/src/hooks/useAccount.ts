/**
 * The caller's account (`GET /api/v1/account`), kept live by the `account` channel: each
 * `balance` message replaces the credits and positions; alerts and a resync refetch.
 */
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Account, ServerMessage } from "@/lib/types";
import { useSession } from "./useSession";
import { useChannel } from "./useSocket";

/** Applies one `account` channel message to the cached account. Exported for tests. */
export function applyAccountMessage(queryClient: QueryClient, message: ServerMessage): void {
  switch (message.type) {
    case "balance":
      queryClient.setQueryData<Account>(queryKeys.account, (old) =>
        old
          ? {
              ...old,
              credits_available: message.credits_available,
              credits_held: message.credits_held,
              positions: message.positions,
            }
          : old,
      );
      break;
    case "alert":
    case "resync":
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      break;
    case "order":
      // `orders_open` changes with order events.
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      break;
    default:
      break;
  }
}

/** The logged-in account, live; disabled (no data) when logged out. */
export function useAccount() {
  const { status } = useSession();
  const queryClient = useQueryClient();
  const enabled = status === "authenticated";
  useChannel(enabled ? "account" : null, (message) => applyAccountMessage(queryClient, message));
  return useQuery({ queryKey: queryKeys.account, queryFn: api.account, enabled });
}
