import { afterEach, describe, expect, it, vi } from "vitest";
import { act, waitFor } from "@testing-library/react";
import type { Alert } from "@/lib/types";
import { renderHookWithProviders } from "@/test/render";
import { sessionOf, stubFetch } from "@/test/fetchRoutes";
import { replaceAlert, useAlertActions, useAlerts, useFiredAlerts } from "./useAlerts";

const below: Alert = { direction: "below", threshold: 500, armed: true };
const above: Alert = { direction: "above", threshold: 2000, armed: true };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("replaceAlert", () => {
  it("replaces the alert of the same direction and keeps below first", () => {
    expect(replaceAlert([above], below)).toEqual([below, above]);
    expect(replaceAlert([below, above], { ...below, threshold: 10 })).toEqual([{ ...below, threshold: 10 }, above]);
    expect(replaceAlert(undefined, above)).toEqual([above]);
  });
});

describe("useAlerts", () => {
  it("refetches when an alert fires and reports the fired alert", async () => {
    stubFetch({
      "/api/v1/auth/session": sessionOf(7),
      "/api/v1/alerts": (n: number) => (n === 1 ? [above, below] : [{ ...below, armed: false }, above]),
    });
    const { result, latest } = renderHookWithProviders(() => ({ alerts: useAlerts(), fired: useFiredAlerts() }));
    await waitFor(() => expect(result.current.alerts.data).toEqual([below, above]));
    act(() => latest().open());
    act(() => latest().receive({ type: "alert", channel: "account", seq: 9, direction: "below", threshold: 500, balance: 480 }));
    await waitFor(() => expect(result.current.alerts.data?.[0]?.armed).toBe(false));
    expect(result.current.fired[0]).toEqual([{ seq: 9, direction: "below", threshold: 500, balance: 480 }]);
    act(() => result.current.fired[1]());
    expect(result.current.fired[0]).toEqual([]);
  });

  it("sets and clears alerts through the API and updates the list", async () => {
    const calls = stubFetch({
      "/api/v1/auth/session": sessionOf(7),
      "/api/v1/alerts": [],
      "/api/v1/alerts/above": (n: number) => (n === 1 ? above : { status: 204 }),
    });
    const { result } = renderHookWithProviders(() => ({ alerts: useAlerts(), actions: useAlertActions() }));
    await waitFor(() => expect(result.current.alerts.data).toEqual([]));
    await act(async () => {
      await result.current.actions.set.mutateAsync({ direction: "above", threshold: 2000 });
    });
    expect(calls).toContain("/api/v1/alerts/above");
    const init = vi.mocked(fetch).mock.calls.find(([url]) => url === "/api/v1/alerts/above")?.[1];
    expect(init?.method).toBe("PUT");
    expect(init?.body).toBe(JSON.stringify({ threshold: 2000 }));
    await act(async () => {
      await result.current.actions.clear.mutateAsync("above");
    });
    const last = vi.mocked(fetch).mock.calls.filter(([url]) => url === "/api/v1/alerts/above").at(-1)?.[1];
    expect(last?.method).toBe("DELETE");
  });
});
