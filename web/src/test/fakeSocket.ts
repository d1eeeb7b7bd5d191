/** A scriptable stand-in for the browser WebSocket, for unit tests of the socket and hooks. */
import { ExchangeSocket, type WebSocketLike } from "@/lib/ws";
import type { ServerMessage } from "@/lib/types";

/** One fake connection: records what the client sent; the test opens, feeds and closes it. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  /** Every message the client sent, parsed. */
  readonly sent: Record<string, unknown>[] = [];
  closedByClient = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends `message`. */
  receive(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The connection drops. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** An ExchangeSocket over fakes; `sockets` lists every connection it opened, oldest first. */
export function fakeExchangeSocket(): { socket: ExchangeSocket; sockets: FakeWebSocket[]; latest: () => FakeWebSocket } {
  const sockets: FakeWebSocket[] = [];
  const socket = new ExchangeSocket({
    url: () => "ws://test/ws",
    create: (url) => {
      const fake = new FakeWebSocket(url);
      sockets.push(fake);
      return fake;
    },
  });
  return {
    socket,
    sockets,
    latest: () => {
      const last = sockets[sockets.length - 1];
      if (!last) throw new Error("no connection was opened");
      return last;
    },
  };
}
