import { useSyncExternalStore } from "react";
import type { ConnectionStatus } from "@/lib/ws";
import { useSocket } from "./useSocket";

/** The WebSocket's state ("connecting", "live", "reconnecting", "offline"), re-rendering on change. */
export function useConnectionStatus(): ConnectionStatus {
  const socket = useSocket();
  return useSyncExternalStore(
    (onChange) => socket.onStatus(onChange),
    () => socket.status,
    () => socket.status,
  );
}
