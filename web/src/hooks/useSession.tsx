/**
 * The login session: who is logged in, log in / sign up / log out, and what happens when a
 * session expires. An authenticated call answering 401 marks the session expired; the app
 * then shows a login dialog over the current page (see SessionExpiredDialog), so the page and
 * everything typed into it stay where they are, and logging in again carries on.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, onSessionExpired } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Credentials, Session } from "@/lib/types";
import { useSocket } from "./useSocket";

/** What the session context offers. */
export interface SessionState {
  /** The session, `null` when logged out, `undefined` while the first check runs. */
  session: Session | null | undefined;
  /** "loading" until the first check answers. */
  status: "loading" | "authenticated" | "anonymous";
  /** True after an authenticated call answered 401, until the user logs in again or gives up. */
  expired: boolean;
  /** Logs in; rejects with an ApiError (e.g. `invalid_credentials`). */
  login: (credentials: Credentials) => Promise<Session>;
  /** Signs up (and is then logged in); rejects with an ApiError (e.g. `email_taken`). */
  signup: (credentials: Credentials) => Promise<Session>;
  /** Logs out (the local session ends even if the server cannot be reached). */
  logout: () => Promise<void>;
  /** Gives up on an expired session: the user is logged out locally. */
  dismissExpired: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

/** Provides the session to the app. Needs a QueryClientProvider above it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const [expired, setExpired] = useState(false);
  const query = useQuery({
    queryKey: queryKeys.session,
    queryFn: api.session,
    staleTime: 60_000,
    retry: 1,
  });
  const session = query.data;

  useEffect(
    () =>
      onSessionExpired(() => {
        // Only a session we believed in can expire; anonymous 401s are just answers.
        if (queryClient.getQueryData(queryKeys.session)) setExpired(true);
      }),
    [queryClient],
  );

  const begin = useCallback(
    (next: Session) => {
      const previous = queryClient.getQueryData<Session | null>(queryKeys.session);
      if (previous?.account_id !== next.account_id) {
        queryClient.removeQueries({ queryKey: queryKeys.accountScope });
      }
      queryClient.setQueryData(queryKeys.session, next);
      void queryClient.invalidateQueries({ queryKey: queryKeys.accountScope });
      setExpired(false);
      socket.reconnect();
      return next;
    },
    [queryClient, socket],
  );

  const end = useCallback(() => {
    queryClient.setQueryData(queryKeys.session, null);
    queryClient.removeQueries({ queryKey: queryKeys.accountScope });
    setExpired(false);
    socket.reconnect();
  }, [queryClient, socket]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      status: session === undefined ? (query.isError ? "anonymous" : "loading") : session ? "authenticated" : "anonymous",
      expired,
      login: async (credentials) => begin(await api.login(credentials)),
      signup: async (credentials) => begin(await api.signup(credentials)),
      logout: async () => {
        try {
          await api.logout();
        } finally {
          end();
        }
      },
      dismissExpired: end,
    }),
    [session, query.isError, expired, begin, end],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session context. */
export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession needs a SessionProvider");
  return value;
}
