/**
 * Access to the app's one WebSocket ({@link ExchangeSocket}) and the hook that subscribes a
 * component to a channel for as long as it is mounted.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import { ExchangeSocket, type MessageHandler } from "@/lib/ws";

/** The socket the app uses unless a provider gives another (tests do). */
let appSocket: ExchangeSocket | null = null;

/** The app-wide socket, created on first use. */
export function getAppSocket(): ExchangeSocket {
  appSocket ??= new ExchangeSocket();
  return appSocket;
}

const SocketContext = createContext<ExchangeSocket | null>(null);

/** Provides `socket` to the tree (the app passes {@link getAppSocket}; tests a fake-backed one). */
export function SocketProvider({ socket, children }: { socket: ExchangeSocket; children: ReactNode }) {
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** The socket of the nearest provider, or the app's. */
export function useSocket(): ExchangeSocket {
  return useContext(SocketContext) ?? getAppSocket();
}

/**
 * Calls `handler` with every message of `channel` while the component is mounted (`null`
 * subscribes to nothing). The latest `handler` is always used without resubscribing.
 */
export function useChannel(channel: string | null, handler: MessageHandler): void {
  const socket = useSocket();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (channel === null) return;
    return socket.subscribe(channel, (message) => latest.current(message));
  }, [socket, channel]);
}
