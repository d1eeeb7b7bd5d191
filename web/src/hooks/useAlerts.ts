/**
 * Balance alerts: the list (`GET /api/v1/alerts`), refetched when the `account` channel says
 * one fired (its armed state changed); the set and clear mutations; and the alerts that fired
 * while the page was open, for a notice.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Alert, AlertDirection, MessageOf } from "@/lib/types";
import { useSession } from "./useSession";
import { useChannel } from "./useSocket";

/** How many fired alerts the notice keeps. */
export const FIRED_ALERTS_LIMIT = 5;

/** A fired alert, as the `account` channel reports it. */
export type FiredAlert = Omit<MessageOf<"alert">, "type" | "channel">;

/** Alerts sorted below first, so the list does not jump when one is replaced. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort((a, b) => (a.direction === b.direction ? 0 : a.direction === "below" ? -1 : 1));
}

/** Puts `alert` in place of the alert of its direction. */
export function replaceAlert(alerts: Alert[] | undefined, alert: Alert): Alert[] {
  return sortAlerts([...(alerts ?? []).filter((old) => old.direction !== alert.direction), alert]);
}

/** The account's alerts, live; disabled when logged out. */
export function useAlerts() {
  const { status } = useSession();
  const queryClient = useQueryClient();
  const enabled = status === "authenticated";
  useChannel(enabled ? "account" : null, (message) => {
    if (message.type === "alert" || message.type === "resync") {
      void queryClient.invalidateQueries({ queryKey: queryKeys.alerts });
    }
  });
  return useQuery({ queryKey: queryKeys.alerts, queryFn: async () => sortAlerts(await api.alerts()), enabled });
}

/** The alerts that fired since the component mounted, newest first. */
export function useFiredAlerts(): [FiredAlert[], () => void] {
  const { status } = useSession();
  const [fired, setFired] = useState<FiredAlert[]>([]);
  useChannel(status === "authenticated" ? "account" : null, (message) => {
    if (message.type !== "alert") return;
    const { seq, direction, threshold, balance } = message;
    setFired((old) => [{ seq, direction, threshold, balance }, ...old].slice(0, FIRED_ALERTS_LIMIT));
  });
  return [fired, () => setFired([])];
}

/** Set (or replace) and clear an alert; the cached list follows at once. */
export function useAlertActions() {
  const queryClient = useQueryClient();
  const settled = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.alerts });
    void queryClient.invalidateQueries({ queryKey: queryKeys.account });
  };
  const set = useMutation({
    mutationFn: ({ direction, threshold }: { direction: AlertDirection; threshold: number }) =>
      api.setAlert(direction, threshold),
    onSuccess: (alert) => {
      queryClient.setQueryData<Alert[]>(queryKeys.alerts, (old) => replaceAlert(old, alert));
      settled();
    },
  });
  const clear = useMutation({
    mutationFn: (direction: AlertDirection) => api.deleteAlert(direction),
    onSuccess: (_nothing, direction) => {
      queryClient.setQueryData<Alert[]>(queryKeys.alerts, (old) => old?.filter((alert) => alert.direction !== direction));
      settled();
    },
  });
  return { set, clear };
}
