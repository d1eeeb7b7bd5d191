import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, onSessionExpired, request } from "./api";

function respond(status: number, body: string, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(status === 204 ? null : body, { status, headers }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

describe("request", () => {
  it("parses the documented error body into an ApiError", async () => {
    respond(422, JSON.stringify({ error: { code: "insufficient_credits", message: "needs 150" } }));
    const error = await request("/orders", { method: "POST", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: "insufficient_credits", message: "needs 150" });
  });

  it("reads Retry-After on rate limiting", async () => {
    respond(429, JSON.stringify({ error: { code: "rate_limited", message: "slow down" } }), { "retry-after": "7" });
    const error = await request("/orders").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterS: 7 });
  });

  it("turns a body that is not the error shape into a clear bad_response error", async () => {
    respond(502, "<html>Bad gateway</html>");
    const error = await request("/tickers", { auth: "none" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: "bad_response" });
  });

  it("turns a network failure into status 0, code network", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const error = await request("/tickers", { auth: "none" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: "network" });
  });

  it("sends JSON with the cookie and answers undefined for 204", async () => {
    const fetchMock = respond(204, "");
    await expect(api.deleteAlert("below")).resolves.toBeUndefined();
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/v1/alerts/below",
      expect.objectContaining({ method: "DELETE", credentials: "same-origin" }),
    );
  });

  it("notifies the expiry listeners on a 401 of an authenticated call only", async () => {
    const listener = vi.fn();
    const stop = onSessionExpired(listener);
    const unauthenticated = JSON.stringify({ error: { code: "unauthenticated", message: "expired" } });
    respond(401, unauthenticated);
    await api.account().catch(() => undefined);
    expect(listener).toHaveBeenCalledTimes(1);
    respond(401, unauthenticated);
    await expect(api.session()).resolves.toBeNull();
    respond(401, JSON.stringify({ error: { code: "invalid_credentials", message: "no" } }));
    await api.login({ email: "a@b.c", password: "12345678" }).catch(() => undefined);
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    respond(401, unauthenticated);
    await api.account().catch(() => undefined);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("encodes query parameters and leaves out undefined ones", async () => {
    const fetchMock = respond(200, "[]");
    await api.orders("open", "MNAD");
    await api.candles("MNAD", "5m");
    expect(fetchMock.mock.calls.map((call) => (call as unknown[])[0])).toEqual([
      "/api/v1/orders?status=open&ticker=MNAD",
      "/api/v1/tickers/MNAD/candles?interval=5m",
    ]);
  });
});
