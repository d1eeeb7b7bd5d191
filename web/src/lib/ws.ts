/**
 * The app's one WebSocket. Components subscribe to channels through it (reference counted,
 * so two components watching `book:MNAD` share one server subscription); it reconnects with
 * backoff and resumes each channel from the last `seq` it delivered, so nothing is lost or
 * repeated across a reconnect. When the server no longer holds that history it answers
 * `resync`, which handlers receive like any other message and answer by refetching.
 */
import type { ServerMessage } from "./types";

/** The connection's state, as the connection indicator shows it. */
export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

/** A message handler for one channel. */
export type MessageHandler = (message: ServerMessage) => void;

/** The part of the browser's WebSocket this module uses (tests pass a fake). */
export interface WebSocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** `WebSocket.OPEN`. */
const OPEN = 1;

/** Reconnect delays: doubling from the first to the cap. */
export const BACKOFF_FIRST_MS = 500;
/** The longest wait between reconnect attempts. */
export const BACKOFF_MAX_MS = 15_000;
/** After this many failed attempts in a row the indicator says "Offline" (retries go on). */
export const OFFLINE_AFTER_ATTEMPTS = 3;
/** How often the client pings, so a dead connection is noticed. */
export const PING_EVERY_MS = 25_000;
/** A connection silent for this long (no message, not even a pong) is dropped and reopened. */
export const SILENCE_LIMIT_MS = 60_000;

/** Options; the defaults talk to `/ws` on the page's own origin. */
export interface SocketOptions {
  /** The URL to connect to, asked on every (re)connect. */
  url?: () => string;
  /** Creates the socket (tests inject a fake). */
  create?: (url: string) => WebSocketLike;
}

/** `ws://host/ws` or `wss://host/ws` for the page's own origin. */
export function defaultSocketUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/ws`;
}

/** The delay before reconnect attempt `attempt` (0-based). */
export function backoffDelayMs(attempt: number): number {
  return Math.min(BACKOFF_FIRST_MS * 2 ** Math.min(attempt, 20), BACKOFF_MAX_MS);
}

/** The shared, reconnecting, resuming WebSocket. */
export class ExchangeSocket {
  private readonly url: () => string;
  private readonly create: (url: string) => WebSocketLike;
  private socket: WebSocketLike | null = null;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  /** The `seq` of the last message delivered per channel: where a resume starts. */
  private readonly lastSeq = new Map<string, number>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly errorListeners = new Set<(message: ServerMessage) => void>();
  private statusValue: ConnectionStatus = "connecting";
  private failedAttempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeardMs = 0;
  private started = false;
  private stopped = false;

  constructor(options: SocketOptions = {}) {
    this.url = options.url ?? defaultSocketUrl;
    this.create = options.create ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
  }

  /** The current connection state. */
  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Listens for state changes; returns the function that stops listening. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Listens for `error` messages (they name no channel); returns the function that stops. */
  onError(listener: (message: ServerMessage) => void): () => void {
    this.errorListeners.add(listener);
    return () => {
      this.errorListeners.delete(listener);
    };
  }

  /**
   * Subscribes `handler` to `channel`, connecting on first use. The server subscription is
   * made for the first handler of a channel and dropped after the last one leaves.
   * Returns the function that unsubscribes.
   */
  subscribe(channel: string, handler: MessageHandler): () => void {
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (!this.started) {
      this.started = true;
      this.connect();
    } else if (first) {
      this.sendSubscribe(channel);
    }
    return () => this.unsubscribe(channel, handler);
  }

  /** Drops the connection and opens a new one at once (after login or logout, say). */
  reconnect(): void {
    if (!this.started || this.stopped) return;
    this.failedAttempts = 0;
    this.dropSocket();
    this.clearReconnect();
    this.connect();
  }

  /** Closes for good (tests and teardown). */
  stop(): void {
    this.stopped = true;
    this.clearReconnect();
    this.dropSocket();
  }

  /** The last `seq` delivered on `channel`, if any (for tests and diagnostics). */
  seqOf(channel: string): number | undefined {
    return this.lastSeq.get(channel);
  }

  private unsubscribe(channel: string, handler: MessageHandler): void {
    const set = this.handlers.get(channel);
    if (!set || !set.delete(handler) || set.size > 0) return;
    this.handlers.delete(channel);
    this.lastSeq.delete(channel);
    this.send({ op: "unsubscribe", channels: [channel] });
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private connect(): void {
    if (this.stopped) return;
    let socket: WebSocketLike;
    try {
      socket = this.create(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.failedAttempts = 0;
      this.lastHeardMs = Date.now();
      this.setStatus("live");
      for (const channel of this.handlers.keys()) this.sendSubscribe(channel);
      this.startPing();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastHeardMs = Date.now();
      if (typeof event.data !== "string") return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.dispatch(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting happens there.
    };
  }

  private dispatch(message: ServerMessage): void {
    if (message.type === "error") {
      for (const listener of this.errorListeners) listener(message);
      return;
    }
    if (message.type === "pong") return;
    const channel = message.channel;
    const set = this.handlers.get(channel);
    if (!set) return;
    if (message.type === "subscribed") {
      // A fresh subscription starts at the server's current seq; a resumed one keeps its own
      // (the replay that follows carries older seqs).
      if (!this.lastSeq.has(channel)) this.lastSeq.set(channel, message.seq);
    } else if (message.type !== "unsubscribed") {
      this.lastSeq.set(channel, message.seq);
    }
    for (const handler of [...set]) handler(message);
  }

  private sendSubscribe(channel: string): void {
    const since = this.lastSeq.get(channel);
    this.send(
      since === undefined
        ? { op: "subscribe", channels: [channel] }
        : { op: "subscribe", channels: [channel], since },
    );
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.clearReconnect();
    const delay = backoffDelayMs(this.failedAttempts);
    this.failedAttempts += 1;
    this.setStatus(this.failedAttempts > OFFLINE_AFTER_ATTEMPTS ? "offline" : "reconnecting");
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private dropSocket(): void {
    this.stopPing();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      socket.close(1000, "client reconnect");
    }
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeardMs > SILENCE_LIMIT_MS) {
        this.dropSocket();
        this.scheduleReconnect();
        return;
      }
      this.send({ op: "ping" });
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
