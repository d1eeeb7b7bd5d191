import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { api } from "@/lib/api";
import { useSession } from "@/hooks/useSession";
import { renderWithProviders } from "@/test/render";
import { SessionExpiredDialog } from "./SessionExpiredDialog";

const session = { email: "ann@example.com", account_id: 7, kind: "standard", expires_ms: 1 };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

/** A page with a half-typed form and a button that makes an authenticated call. */
function Page() {
  const { status } = useSession();
  const [draft, setDraft] = useState("");
  return (
    <div>
      <p>{status}</p>
      <label>
        Note
        <input value={draft} onChange={(event) => setDraft(event.target.value)} />
      </label>
      <button onClick={() => void api.account().catch(() => undefined)}>Load account</button>
      <SessionExpiredDialog />
    </div>
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("session expiry", () => {
  it("opens a login dialog over the page on a 401 and carries on after logging in, keeping what was typed", async () => {
    let loggedIn = true;
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith("/auth/session")) return json(200, session);
      if (url.endsWith("/auth/login")) {
        loggedIn = true;
        expect(JSON.parse(String(init?.body))).toEqual({ email: "ann@example.com", password: "correct horse" });
        return json(200, session);
      }
      if (url.endsWith("/account") && !loggedIn) return json(401, { error: { code: "unauthenticated", message: "expired" } });
      return json(200, {});
    });
    vi.stubGlobal("fetch", fetchMock);
    const user = userEvent.setup();
    const { socket } = renderWithProviders(<Page />);
    await screen.findByText("authenticated");
    await user.type(screen.getByLabelText("Note"), "half a thought");

    loggedIn = false;
    await user.click(screen.getByRole("button", { name: "Load account" }));
    const dialog = await screen.findByRole("dialog", { name: "Your session expired" });
    expect(screen.getByLabelText("Email")).toHaveValue("ann@example.com");

    const reconnect = vi.spyOn(socket, "reconnect");
    await user.type(screen.getByLabelText("Password"), "correct horse");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(screen.getByLabelText("Note")).toHaveValue("half a thought");
    expect(reconnect).toHaveBeenCalled();
  });

  it("does not open for anonymous visitors", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(401, { error: { code: "unauthenticated", message: "no session" } })),
    );
    const user = userEvent.setup();
    renderWithProviders(<Page />);
    await screen.findByText("anonymous");
    await user.click(screen.getByRole("button", { name: "Load account" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
