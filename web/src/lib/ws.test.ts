import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeExchangeSocket } from "@/test/fakeSocket";
import type { ServerMessage } from "./types";
import { backoffDelayMs, BACKOFF_FIRST_MS, BACKOFF_MAX_MS, OFFLINE_AFTER_ATTEMPTS } from "./ws";

const trade = (seq: number): ServerMessage => ({
  type: "trade",
  channel: "trades:MNAD",
  seq,
  time_ms: 1_000 * seq,
  symbol: "MNAD",
  price: 30,
  quantity: 1,
  taker_side: "buy",
});

describe("ExchangeSocket", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("connects on first subscribe and subscribes each channel once the socket opens", () => {
    const { socket, sockets, latest } = fakeExchangeSocket();
    expect(sockets).toHaveLength(0);
    socket.subscribe("book:MNAD", () => {});
    socket.subscribe("trades:MNAD", () => {});
    expect(sockets).toHaveLength(1);
    expect(socket.status).toBe("connecting");
    latest().open();
    expect(socket.status).toBe("live");
    expect(latest().sent).toEqual([
      { op: "subscribe", channels: ["book:MNAD"] },
      { op: "subscribe", channels: ["trades:MNAD"] },
    ]);
    socket.stop();
  });

  it("shares one server subscription between handlers and drops it after the last one", () => {
    const { socket, latest } = fakeExchangeSocket();
    const a = vi.fn();
    const b = vi.fn();
    const stopA = socket.subscribe("trades:MNAD", a);
    latest().open();
    const stopB = socket.subscribe("trades:MNAD", b);
    expect(latest().sent.filter((m) => m.op === "subscribe")).toHaveLength(1);
    latest().receive(trade(5));
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    stopA();
    expect(latest().sent.some((m) => m.op === "unsubscribe")).toBe(false);
    latest().receive(trade(6));
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    stopB();
    expect(latest().sent[latest().sent.length - 1]).toEqual({ op: "unsubscribe", channels: ["trades:MNAD"] });
    socket.stop();
  });

  it("delivers messages only to the channel they name", () => {
    const { socket, latest } = fakeExchangeSocket();
    const trades = vi.fn();
    const book = vi.fn();
    socket.subscribe("trades:MNAD", trades);
    socket.subscribe("book:MNAD", book);
    latest().open();
    latest().receive(trade(3));
    expect(trades).toHaveBeenCalledWith(trade(3));
    expect(book).not.toHaveBeenCalled();
    socket.stop();
  });

  it("reconnects with backoff and resumes each channel from the last seq it delivered", () => {
    const { socket, sockets, latest } = fakeExchangeSocket();
    socket.subscribe("trades:MNAD", () => {});
    socket.subscribe("book:MNAD", () => {});
    latest().open();
    latest().receive({ type: "subscribed", channel: "trades:MNAD", seq: 10 });
    latest().receive({ type: "book_snapshot", channel: "book:MNAD", seq: 10, bids: [], asks: [] });
    latest().receive(trade(12));
    latest().receive({ type: "book", channel: "book:MNAD", seq: 14, side: "buy", price: 30, quantity: 1, orders: 1 });
    latest().drop();
    expect(socket.status).toBe("reconnecting");
    vi.advanceTimersByTime(BACKOFF_FIRST_MS - 1);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(latest().sent).toEqual([
      { op: "subscribe", channels: ["trades:MNAD"], since: 12 },
      { op: "subscribe", channels: ["book:MNAD"], since: 14 },
    ]);
    socket.stop();
  });

  it("keeps its resume point when the server confirms a resumed subscription", () => {
    const { socket, latest } = fakeExchangeSocket();
    socket.subscribe("trades:MNAD", () => {});
    latest().open();
    latest().receive(trade(20));
    latest().drop();
    vi.advanceTimersByTime(BACKOFF_FIRST_MS);
    latest().open();
    // The confirmation carries the hub's newest seq; the replay that follows carries older ones.
    latest().receive({ type: "subscribed", channel: "trades:MNAD", seq: 99 });
    expect(socket.seqOf("trades:MNAD")).toBe(20);
    latest().receive(trade(21));
    expect(socket.seqOf("trades:MNAD")).toBe(21);
    socket.stop();
  });

  it("passes resync to the handlers so they can refetch", () => {
    const { socket, latest } = fakeExchangeSocket();
    const handler = vi.fn();
    socket.subscribe("book:MNAD", handler);
    latest().open();
    latest().receive({ type: "resync", channel: "book:MNAD", seq: 500 });
    expect(handler).toHaveBeenCalledWith({ type: "resync", channel: "book:MNAD", seq: 500 });
    socket.stop();
  });

  it("says offline after repeated failures, keeps retrying, and is live again on success", () => {
    const { socket, sockets, latest } = fakeExchangeSocket();
    const statuses: string[] = [];
    socket.onStatus((status) => statuses.push(status));
    socket.subscribe("trades:MNAD", () => {});
    for (let attempt = 0; attempt <= OFFLINE_AFTER_ATTEMPTS; attempt += 1) {
      latest().drop();
      vi.advanceTimersByTime(backoffDelayMs(attempt));
    }
    expect(socket.status).toBe("offline");
    expect(sockets).toHaveLength(OFFLINE_AFTER_ATTEMPTS + 2);
    latest().open();
    expect(socket.status).toBe("live");
    expect(statuses).toEqual(["reconnecting", "offline", "live"]);
    socket.stop();
  });

  it("reconnect() replaces the connection at once and resubscribes", () => {
    const { socket, sockets, latest } = fakeExchangeSocket();
    socket.subscribe("account", () => {});
    latest().open();
    const first = latest();
    socket.reconnect();
    expect(first.closedByClient).toBe(true);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(latest().sent).toEqual([{ op: "subscribe", channels: ["account"] }]);
    socket.stop();
  });

  it("ignores messages that are not JSON and routes errors to error listeners", () => {
    const { socket, latest } = fakeExchangeSocket();
    const handler = vi.fn();
    const errors = vi.fn();
    socket.onError(errors);
    socket.subscribe("account", handler);
    latest().open();
    latest().onmessage?.({ data: "not json" });
    latest().receive({ type: "error", seq: 1, code: "unauthenticated", message: "log in" });
    expect(handler).not.toHaveBeenCalled();
    expect(errors).toHaveBeenCalledWith({ type: "error", seq: 1, code: "unauthenticated", message: "log in" });
    socket.stop();
  });
});

describe("backoffDelayMs", () => {
  it("doubles from the first delay up to the cap", () => {
    expect(backoffDelayMs(0)).toBe(BACKOFF_FIRST_MS);
    expect(backoffDelayMs(1)).toBe(2 * BACKOFF_FIRST_MS);
    expect(backoffDelayMs(2)).toBe(4 * BACKOFF_FIRST_MS);
    expect(backoffDelayMs(50)).toBe(BACKOFF_MAX_MS);
  });
});
