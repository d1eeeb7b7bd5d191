/** A `fetch` stand-in for hook tests: answers by path, records the calls, and can hold answers back. */
import { vi } from "vitest";

/** An answer: a JSON body (status 200), or a status with a body. */
export type RouteAnswer = unknown | { status: number; body?: unknown };

/** A route's answer, or a function of the call count returning one (or a promise of one). */
export type Route = RouteAnswer | ((call: number) => RouteAnswer | Promise<RouteAnswer>);

function isStatus(answer: unknown): answer is { status: number; body?: unknown } {
  return typeof answer === "object" && answer !== null && "status" in answer && typeof answer.status === "number";
}

/**
 * Stubs the global `fetch` with `routes` (keyed by path without the query, e.g.
 * "/api/v1/account/fills"). Unknown paths answer 404. Returns the list of requested URLs.
 */
export function stubFetch(routes: Record<string, Route>): string[] {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string) => {
      calls.push(input);
      const path = input.split("?")[0] ?? input;
      const route = routes[path];
      const count = (counts.get(path) ?? 0) + 1;
      counts.set(path, count);
      if (route === undefined) {
        return new Response(JSON.stringify({ error: { code: "not_found", message: `no route ${path}` } }), { status: 404 });
      }
      const answer = typeof route === "function" ? await (route as (call: number) => unknown)(count) : route;
      if (isStatus(answer)) {
        return answer.status === 204
          ? new Response(null, { status: 204 })
          : new Response(JSON.stringify(answer.body ?? null), { status: answer.status });
      }
      return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
    }),
  );
  return calls;
}

/** A session answer for `/api/v1/auth/session`. */
export function sessionOf(accountId: number, kind: "standard" | "orchestrator" | "admin" = "standard") {
  return { email: `user${accountId}@example.com`, account_id: accountId, kind, expires_ms: 4_000_000_000_000 };
}
