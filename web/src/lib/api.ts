/**
 * The typed REST client. Every call goes to the same origin (the server, or Vite's proxy in
 * development) with the session cookie, and every failure becomes an {@link ApiError} carrying
 * the server's machine-readable code, so forms can put it next to the field it concerns.
 */
import type {
  Account,
  Activity,
  AlertDirection,
  Alert,
  AmendOrder,
  ApiToken,
  CancelAllResult,
  Candle,
  CandleInterval,
  CreatedApiToken,
  CreatedOrchestratedAccount,
  Credentials,
  Depth,
  Fill,
  Health,
  LiquidateAllResult,
  OrchestratedAccount,
  Order,
  OrderResult,
  PlaceOrder,
  Quote,
  Session,
  TickerSummary,
  Trade,
  Transfer,
  TransferRequest,
  TransferResult,
} from "./types";

/** The prefix of every API route. */
export const API_BASE = "/api/v1";

/** A failed request: the HTTP status (0 when the network failed) and the server's error code. */
export class ApiError extends Error {
  /** The HTTP status, or 0 if the server could not be reached. */
  readonly status: number;
  /** The stable, machine-readable code (`network` and `bad_response` are the client's own). */
  readonly code: string;
  /** Seconds to wait before retrying, from `Retry-After` (429 and 503). */
  readonly retryAfterS: number | null;

  constructor(status: number, code: string, message: string, retryAfterS: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfterS = retryAfterS;
  }
}

/** True when `error` says the caller's session is missing, expired or revoked. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === "unauthenticated";
}

/** Called when an authenticated call answers 401: the session expired or was revoked. */
type ExpiryListener = () => void;

const expiryListeners = new Set<ExpiryListener>();

/**
 * Registers a listener for session expiry (the session provider shows the login dialog).
 * Returns a function that removes it.
 */
export function onSessionExpired(listener: ExpiryListener): () => void {
  expiryListeners.add(listener);
  return () => {
    expiryListeners.delete(listener);
  };
}

/** How a request relates to the session. */
type Auth =
  /** Needs a session: a 401 means it expired, and the expiry listeners hear of it. */
  | "required"
  /** Public, or probing whether there is a session: a 401 is just an answer. */
  | "none";

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  auth?: Auth;
  signal?: AbortSignal;
}

/** Reads the error body; a body that is not the documented shape still gives a clear error. */
async function errorOf(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get("retry-after");
  const retryAfterS = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let text = "";
  try {
    text = await response.text();
  } catch {
    // The body could not be read: fall through to the generic error below.
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isErrorBody(parsed)) {
      return new ApiError(response.status, parsed.error.code, parsed.error.message, retryAfterS);
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall through.
  }
  const message = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
  return new ApiError(response.status, "bad_response", message, retryAfterS);
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string } } {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/**
 * Sends one request and parses its JSON answer (or `undefined` for 204). Throws
 * {@link ApiError} on any failure; a 401 on a `required` call also notifies the expiry listeners.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, auth = "required", signal } = options;
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, "network", "The exchange could not be reached. Check your connection.");
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (auth === "required" && isUnauthenticated(error)) {
      for (const listener of expiryListeners) listener();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, "bad_response", "The server's answer was not valid JSON.");
  }
}

/** Builds a query string from the defined values of `params`. */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

const sym = encodeURIComponent;

/** Every API route as a typed function. */
export const api = {
  // Auth
  signup: (credentials: Credentials) =>
    request<Session>("/auth/signup", { method: "POST", body: credentials, auth: "none" }),
  login: (credentials: Credentials) =>
    request<Session>("/auth/login", { method: "POST", body: credentials, auth: "none" }),
  logout: () => request<void>("/auth/logout", { method: "POST", auth: "none" }),
  /** The current session; `null` when there is none (a 401 here is an answer, not an expiry). */
  session: async (): Promise<Session | null> => {
    try {
      return await request<Session>("/auth/session", { auth: "none" });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  tokens: () => request<ApiToken[]>("/auth/tokens"),
  createToken: (name: string) => request<CreatedApiToken>("/auth/tokens", { method: "POST", body: { name } }),
  deleteToken: (id: number) => request<void>(`/auth/tokens/${id}`, { method: "DELETE" }),

  // Market (public)
  tickers: () => request<TickerSummary[]>("/tickers", { auth: "none" }),
  ticker: (symbol: string) => request<TickerSummary>(`/tickers/${sym(symbol)}`, { auth: "none" }),
  quote: (symbol: string) => request<Quote>(`/tickers/${sym(symbol)}/quote`, { auth: "none" }),
  depth: (symbol: string, levels?: number) =>
    request<Depth>(`/tickers/${sym(symbol)}/depth${query({ levels })}`, { auth: "none" }),
  trades: (symbol: string, limit?: number) =>
    request<Trade[]>(`/tickers/${sym(symbol)}/trades${query({ limit })}`, { auth: "none" }),
  candles: (symbol: string, interval: CandleInterval, from?: number, to?: number) =>
    request<Candle[]>(`/tickers/${sym(symbol)}/candles${query({ interval, from, to })}`, { auth: "none" }),
  activity: (limit?: number) => request<Activity[]>(`/activity${query({ limit })}`, { auth: "none" }),
  health: async (): Promise<Health> => {
    const response = await fetch("/health", { credentials: "same-origin" });
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as Health;
  },

  // Account
  account: () => request<Account>("/account"),
  fills: (limit?: number) => request<Fill[]>(`/account/fills${query({ limit })}`),
  transfers: (limit?: number) => request<Transfer[]>(`/account/transfers${query({ limit })}`),

  // Orders
  placeOrder: (order: PlaceOrder) => request<OrderResult>("/orders", { method: "POST", body: order }),
  orders: (status: "open" | "recent" = "open", ticker?: string) =>
    request<Order[]>(`/orders${query({ status, ticker })}`),
  order: (id: number) => request<Order>(`/orders/${id}`),
  amendOrder: (id: number, amendment: AmendOrder) =>
    request<OrderResult>(`/orders/${id}`, { method: "PATCH", body: amendment }),
  cancelOrder: (id: number) => request<OrderResult>(`/orders/${id}`, { method: "DELETE" }),
  cancelAll: (ticker: string) => request<CancelAllResult>(`/orders${query({ ticker })}`, { method: "DELETE" }),

  // Transfers and alerts
  transfer: (body: TransferRequest) => request<TransferResult>("/transfers", { method: "POST", body }),
  alerts: () => request<Alert[]>("/alerts"),
  setAlert: (direction: AlertDirection, threshold: number) =>
    request<Alert>(`/alerts/${direction}`, { method: "PUT", body: { threshold } }),
  deleteAlert: (direction: AlertDirection) => request<void>(`/alerts/${direction}`, { method: "DELETE" }),

  // Orchestrator
  orchestratedAccounts: () => request<OrchestratedAccount[]>("/orchestrator/accounts"),
  createOrchestratedAccount: (initial_credits: number, token_name: string) =>
    request<CreatedOrchestratedAccount>("/orchestrator/accounts", {
      method: "POST",
      body: { initial_credits, token_name },
    }),
  liquidate: (id: number) => request<{ seq: number }>(`/orchestrator/accounts/${id}/liquidate`, { method: "POST" }),
  liquidateAll: () => request<LiquidateAllResult>("/orchestrator/liquidate-all", { method: "POST" }),
};
