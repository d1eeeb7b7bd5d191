/**
 * The account's fills (`GET /api/v1/account/fills`), newest first, with each `fill` message of
 * the `account` channel added on top. The positions' cost basis is computed from this list.
 */
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Fill, ServerMessage } from "@/lib/types";
import { useLiveList } from "./useLiveList";
import { useSession } from "./useSession";

/** How many fills are fetched and kept (the server's maximum per request). */
export const FILLS_LIMIT = 1000;

/** The fill a `fill` message carries, or null for other messages. */
export function fillOf(message: ServerMessage): Fill | null {
  if (message.type !== "fill") return null;
  const { seq, time_ms, order_id, symbol, side, price, quantity, role } = message;
  return { seq, time_ms, order_id, symbol, side, price, quantity, role };
}

/** The logged-in account's fills, live; disabled when logged out. */
export function useFills() {
  const { status } = useSession();
  return useLiveList<Fill>({
    queryKey: queryKeys.fills,
    fetch: () => api.fills(FILLS_LIMIT),
    channel: "account",
    entryOf: fillOf,
    limit: FILLS_LIMIT,
    enabled: status === "authenticated",
  });
}
