import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderWithProviders } from "@/test/render";
import { sessionOf, stubFetch } from "@/test/fetchRoutes";
import { TransferForm } from "./TransferForm";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("TransferForm", () => {
  it("shows client-side errors next to their fields without calling the server", async () => {
    const calls = stubFetch({ "/api/v1/auth/session": sessionOf(7) });
    renderWithProviders(<TransferForm creditsAvailable={100} />);
    await userEvent.type(screen.getByLabelText("Amount (credits)"), "250");
    await userEvent.click(screen.getByRole("button", { name: "Send credits" }));
    const email = screen.getByLabelText("Recipient email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter the recipient's email.");
    expect(screen.getByLabelText("Amount (credits)")).toHaveAccessibleDescription(/You have 100 credits available\./);
    expect(calls.some((url) => url.includes("/transfers"))).toBe(false);
  });

  it("puts the server's unknown_user error on the email field and keeps what was typed", async () => {
    stubFetch({
      "/api/v1/auth/session": sessionOf(7),
      "/api/v1/transfers": { status: 404, body: { error: { code: "unknown_user", message: "no user `bob@example.com`" } } },
    });
    renderWithProviders(<TransferForm creditsAvailable={100} />);
    await userEvent.type(screen.getByLabelText("Recipient email"), "bob@example.com");
    await userEvent.type(screen.getByLabelText("Amount (credits)"), "25");
    await userEvent.click(screen.getByRole("button", { name: "Send credits" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No user has this email.");
    expect(screen.getByLabelText("Recipient email")).toHaveAccessibleDescription("No user has this email.");
    expect(screen.getByLabelText("Recipient email")).toHaveValue("bob@example.com");
    expect(screen.getByLabelText("Amount (credits)")).toHaveValue("25");
  });

  it("reports a sent transfer and clears the form", async () => {
    stubFetch({ "/api/v1/auth/session": sessionOf(7), "/api/v1/transfers": { status: 201, body: { seq: 3, amount: 25, to_account: 9 } } });
    renderWithProviders(<TransferForm creditsAvailable={100} />);
    await userEvent.type(screen.getByLabelText("Recipient email"), "bob@example.com");
    await userEvent.type(screen.getByLabelText("Amount (credits)"), "25");
    await userEvent.click(screen.getByRole("button", { name: "Send credits" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Sent 25 credits to bob@example.com (account #9).");
    await waitFor(() => expect(screen.getByLabelText("Amount (credits)")).toHaveValue(""));
  });
});
