import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api";
import { parseCredits, transferErrorsOf, validateTransfer } from "./transferValidation";

describe("parseCredits", () => {
  it("reads whole numbers, allowing thousands separators", () => {
    expect(parseCredits(" 1,500 ", "an amount", 1)).toBe(1500);
  });
  it("refuses empty, fractional, negative, too small and too large numbers", () => {
    expect(parseCredits("", "an amount", 1)).toBe("Enter an amount.");
    expect(parseCredits("1.5", "an amount", 1)).toMatch(/whole number/);
    expect(parseCredits("-3", "an amount", 1)).toMatch(/whole number/);
    expect(parseCredits("0", "an amount", 1)).toBe("Enter an amount of at least 1.");
    expect(parseCredits("9007199254740992", "an amount", 1)).toMatch(/at most 9,007,199,254,740,991/);
  });
});

describe("validateTransfer", () => {
  it("builds the request with a trimmed, lower-cased email", () => {
    const { errors, request } = validateTransfer({ email: "  Bob@Example.com ", amount: "25" }, { creditsAvailable: 100 });
    expect(errors).toEqual({});
    expect(request).toEqual({ to_email: "bob@example.com", amount: 25 });
  });

  it("reports each field's problem and sends nothing", () => {
    const { errors, request } = validateTransfer({ email: "not-an-email", amount: "abc" });
    expect(request).toBeNull();
    expect(errors.email).toBe("Enter a valid email address.");
    expect(errors.amount).toMatch(/whole number/);
  });

  it("refuses sending to oneself and more than is available", () => {
    const { errors, request } = validateTransfer(
      { email: "ME@example.com", amount: "101" },
      { ownEmail: "me@example.com", creditsAvailable: 100 },
    );
    expect(request).toBeNull();
    expect(errors).toEqual({ email: "You cannot send credits to yourself.", amount: "You have 100 credits available." });
  });

  it("asks for an email when there is none", () => {
    expect(validateTransfer({ email: " ", amount: "1" }).errors.email).toBe("Enter the recipient's email.");
  });
});

describe("transferErrorsOf", () => {
  it("puts server errors next to the field they concern", () => {
    expect(transferErrorsOf(new ApiError(404, "unknown_user", "no user `x@y.z`"))).toEqual({ email: "No user has this email." });
    expect(transferErrorsOf(new ApiError(400, "self_transfer", "self"))).toEqual({
      email: "You cannot send credits to yourself.",
    });
    expect(transferErrorsOf(new ApiError(422, "insufficient_credits", "account 7 has 10 credits available, needs 20"))).toEqual({
      amount: "Not enough credits: account 7 has 10 credits available, needs 20",
    });
    expect(transferErrorsOf(new ApiError(400, "invalid_amount", "amount must be positive"))).toEqual({
      amount: "amount must be positive",
    });
  });
  it("keeps other failures for the whole form", () => {
    expect(transferErrorsOf(new ApiError(403, "account_closed", "the account is closed"))).toEqual({ form: "the account is closed" });
    expect(transferErrorsOf(new Error("boom"))).toEqual({ form: "The transfer failed. Try again." });
  });
});
