/**
 * The credit transfer form's rules: what the user typed becomes a `POST /api/v1/transfers`
 * body or errors keyed by field, and the server's rejections are put next to the field they
 * concern.
 */
import { ApiError } from "@/lib/api";
import type { TransferRequest } from "@/lib/types";

/** The largest amount of credits the exchange can hold (2^53 - 1, exchange-core's limit). */
export const AMOUNT_MAX = Number.MAX_SAFE_INTEGER;
/** The longest email the form accepts (the server's limit is the same order). */
export const EMAIL_MAX = 254;

/** What the user typed. */
export interface TransferDraft {
  email: string;
  amount: string;
}

/** An empty form. */
export const EMPTY_TRANSFER: TransferDraft = { email: "", amount: "" };

/** The fields an error can belong to; `form` is the whole form. */
export type TransferErrors = Partial<Record<"email" | "amount" | "form", string>>;

/** What the form knows of the sender. */
export interface TransferContext {
  /** The sender's own email (sending to oneself is refused). */
  ownEmail?: string;
  /** Credits the sender has available. */
  creditsAvailable?: number;
}

/** A whole number of credits typed by the user, or the reason it is not one. */
export function parseCredits(text: string, name: string, min: number): number | string {
  const trimmed = text.trim().replace(/[,_\s]/g, "");
  if (trimmed === "") return `Enter ${name}.`;
  if (!/^\d+$/.test(trimmed)) return `Enter ${name} as a whole number of credits.`;
  const value = Number(trimmed);
  if (value < min) return `Enter ${name} of at least ${min}.`;
  if (value > AMOUNT_MAX) return `Enter ${name} of at most ${AMOUNT_MAX.toLocaleString("en-US")}.`;
  return value;
}

/** Checks a draft; the request body when there is nothing wrong. */
export function validateTransfer(
  draft: TransferDraft,
  context: TransferContext = {},
): { errors: TransferErrors; request: TransferRequest | null } {
  const errors: TransferErrors = {};
  const email = draft.email.trim().toLowerCase();
  if (email === "") errors.email = "Enter the recipient's email.";
  else if (email.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = "Enter a valid email address.";
  else if (context.ownEmail !== undefined && email === context.ownEmail.trim().toLowerCase()) {
    errors.email = "You cannot send credits to yourself.";
  }
  const amount = parseCredits(draft.amount, "an amount", 1);
  if (typeof amount === "string") errors.amount = amount;
  else if (context.creditsAvailable !== undefined && amount > context.creditsAvailable) {
    errors.amount = `You have ${context.creditsAvailable.toLocaleString("en-US")} credits available.`;
  }
  if (Object.keys(errors).length > 0 || typeof amount === "string") return { errors, request: null };
  return { errors, request: { to_email: email, amount } };
}

/** Puts a failed transfer's error next to the field it concerns. */
export function transferErrorsOf(error: unknown): TransferErrors {
  if (!(error instanceof ApiError)) return { form: "The transfer failed. Try again." };
  switch (error.code) {
    case "unknown_user":
      return { email: "No user has this email." };
    case "invalid_email":
      return { email: error.message };
    case "self_transfer":
      return { email: "You cannot send credits to yourself." };
    case "insufficient_credits":
      return { amount: `Not enough credits: ${error.message}` };
    case "invalid_amount":
    case "overflow":
      return { amount: error.message };
    case "unauthenticated":
      return { form: "Your session expired. Log in again, then send." };
    default:
      return { form: error.message };
  }
}
