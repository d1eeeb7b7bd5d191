/**
 * The account's credit transfers (`GET /api/v1/account/transfers`), live from the `account`
 * channel's `transfer` messages, and the mutation that sends credits to another user.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { ServerMessage, Transfer, TransferRequest } from "@/lib/types";
import { useLiveList } from "./useLiveList";
import { useSession } from "./useSession";

/** How many transfers are fetched and kept. */
export const TRANSFERS_LIMIT = 100;

/** The transfer a `transfer` message carries, or null for other messages. */
export function transferOf(message: ServerMessage): Transfer | null {
  if (message.type !== "transfer") return null;
  const { seq, time_ms, direction, counterparty, amount, reason } = message;
  return { seq, time_ms, direction, counterparty, amount, reason };
}

/** The logged-in account's transfers, newest first, live; disabled when logged out. */
export function useTransfers() {
  const { status } = useSession();
  return useLiveList<Transfer>({
    queryKey: queryKeys.transfers,
    fetch: () => api.transfers(TRANSFERS_LIMIT),
    channel: "account",
    entryOf: transferOf,
    limit: TRANSFERS_LIMIT,
    enabled: status === "authenticated",
  });
}

/** Sends credits (`POST /api/v1/transfers`); the balance refetches when it succeeds. */
export function useSendCredits() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: TransferRequest) => api.transfer(request),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      void queryClient.invalidateQueries({ queryKey: queryKeys.transfers });
    },
  });
}
