/**
 * The public activity feed (`GET /api/v1/activity`) kept live by the `activity` channel:
 * trades, transfers, accounts opening and closing, newest first, at most
 * {@link ACTIVITY_LIMIT} entries.
 */
import { api } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Activity, ServerMessage } from "@/lib/types";
import { useLiveList } from "./useLiveList";

/** How many entries the feed fetches and keeps. */
export const ACTIVITY_LIMIT = 200;

/** The entry an `activity` message carries, or null for other messages. */
export function activityOf(message: ServerMessage): Activity | null {
  if (message.type !== "activity") return null;
  const { type: _type, channel: _channel, ...entry } = message;
  return entry as Activity;
}

/** The feed, newest first, live. */
export function useActivity() {
  return useLiveList<Activity>({
    queryKey: queryKeys.activity,
    fetch: () => api.activity(ACTIVITY_LIMIT),
    channel: "activity",
    entryOf: activityOf,
    limit: ACTIVITY_LIMIT,
  });
}
