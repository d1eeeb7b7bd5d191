/**
 * A newest-first list fetched over REST and kept live by one WebSocket channel (fills,
 * transfers, the activity feed). Entries the REST answer already holds (seq at or below its
 * newest) are dropped, so the fetch/subscribe race neither loses nor repeats one; entries that
 * arrive before the fetch answers wait in a buffer. Several entries may share a seq (one
 * command, several fills), so only the REST answer's seq is a boundary.
 */
import { useEffect, useRef } from "react";
import { useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { ServerMessage } from "@/lib/types";
import { useChannel } from "./useSocket";

/** An entry of a live list: every one carries the seq of the command that made it. */
export interface Sequenced {
  seq: number;
}

/** A live list's query data: newest first, and the newest seq the REST answer covered. */
export interface LiveList<T extends Sequenced> {
  items: T[];
  baseSeq: number;
}

/** The REST answer (newest first) as query data, capped at `limit` entries. */
export function liveListOf<T extends Sequenced>(items: T[], limit: number): LiveList<T> {
  return { items: items.slice(0, limit), baseSeq: items.reduce((max, item) => Math.max(max, item.seq), 0) };
}

/** Puts live entries (oldest first) on top of `data`, dropping those the REST answer holds. */
export function mergeLive<T extends Sequenced>(data: LiveList<T>, incoming: T[], limit: number): LiveList<T> {
  const fresh = incoming.filter((item) => item.seq > data.baseSeq);
  if (fresh.length === 0) return data;
  return { ...data, items: [...[...fresh].reverse(), ...data.items].slice(0, limit) };
}

/**
 * Messages already applied, per list: several components may watch the same list, and each
 * receives the same message object, which must change the shared cache only once.
 */
const applied = new Map<string, WeakSet<ServerMessage>>();

/** True the first time `message` is seen for the list `key`. */
function firstSight(key: string, message: ServerMessage): boolean {
  let seen = applied.get(key);
  if (!seen) {
    seen = new WeakSet();
    applied.set(key, seen);
  }
  if (seen.has(message)) return false;
  seen.add(message);
  return true;
}

/** What a live list needs to know. */
export interface LiveListOptions<T extends Sequenced> {
  queryKey: QueryKey;
  /** Fetches the list, newest first. */
  fetch: () => Promise<T[]>;
  /** The channel whose messages add entries (`null` while there is none to watch). */
  channel: string | null;
  /** The entry a message carries, or null for messages that add none. */
  entryOf: (message: ServerMessage) => T | null;
  /** The most entries kept. */
  limit: number;
  enabled?: boolean;
  /** Refetch this often as well (ms), for data the channel does not fully describe. */
  refetchIntervalMs?: number;
}

/** The list as a TanStack query, live. */
export function useLiveList<T extends Sequenced>(options: LiveListOptions<T>) {
  const { queryKey, fetch, channel, entryOf, limit, enabled = true, refetchIntervalMs } = options;
  const queryClient = useQueryClient();
  const pending = useRef<T[]>([]);
  const keyText = JSON.stringify(queryKey);
  const query = useQuery({
    queryKey,
    queryFn: async () => liveListOf(await fetch(), limit),
    enabled,
    refetchInterval: refetchIntervalMs,
  });

  useChannel(enabled ? channel : null, (message) => {
    if (!firstSight(keyText, message)) return;
    if (message.type === "resync") {
      void queryClient.invalidateQueries({ queryKey });
      return;
    }
    const entry = entryOf(message);
    if (!entry) return;
    if (queryClient.getQueryData<LiveList<T>>(queryKey) === undefined) {
      pending.current.push(entry);
      return;
    }
    queryClient.setQueryData<LiveList<T>>(queryKey, (old) => (old ? mergeLive(old, [entry], limit) : old));
  });

  useEffect(() => {
    if (!query.data || pending.current.length === 0) return;
    const buffered = pending.current;
    pending.current = [];
    queryClient.setQueryData<LiveList<T>>(queryKey, (old) => (old ? mergeLive(old, buffered, limit) : old));
  }, [query.data, queryClient, queryKey, limit]);

  return query;
}
