/**
 * An orchestrator's noise traders (`GET /api/v1/orchestrator/accounts`): refetched when the
 * `activity` channel says one of them opened or closed, and periodically, since their
 * balances move with every trade they make and the public feed does not name traders.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { OrchestratedAccount, ServerMessage } from "@/lib/types";
import { useSession } from "./useSession";
import { useChannel } from "./useSocket";

/** How often the noise traders' balances are refetched. */
export const ORCHESTRATED_REFRESH_MS = 10_000;

/** True when `message` says a trader of orchestrator `me` joined or was liquidated (or a resync). */
export function changesOrchestrated(message: ServerMessage, me: number): boolean {
  if (message.type === "resync") return true;
  if (message.type !== "activity") return false;
  return (message.kind === "account_opened" || message.kind === "account_closed") && message.orchestrated_by === me;
}

/** Active traders first, then by account id. */
export function sortOrchestrated(accounts: OrchestratedAccount[]): OrchestratedAccount[] {
  return [...accounts].sort((a, b) =>
    a.status === b.status ? a.account_id - b.account_id : a.status === "active" ? -1 : 1,
  );
}

/** The logged-in orchestrator's traders, live; disabled for other accounts. */
export function useOrchestratedAccounts() {
  const { session, status } = useSession();
  const queryClient = useQueryClient();
  const me = session?.account_id;
  const enabled = status === "authenticated" && session?.kind === "orchestrator";
  useChannel(enabled ? "activity" : null, (message) => {
    if (me !== undefined && changesOrchestrated(message, me)) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.orchestrated });
    }
  });
  return useQuery({
    queryKey: queryKeys.orchestrated,
    queryFn: async () => sortOrchestrated(await api.orchestratedAccounts()),
    enabled,
    refetchInterval: ORCHESTRATED_REFRESH_MS,
  });
}
