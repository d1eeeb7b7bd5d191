/**
 * The balance alert form's rules: a direction and a threshold of total credits (available
 * plus held), and the server's rejections put next to the field they concern.
 */
import { ApiError } from "@/lib/api";
import type { AlertDirection } from "@/lib/types";
import { parseCredits } from "./transferValidation";

/** What the user typed. */
export interface AlertDraft {
  direction: AlertDirection;
  threshold: string;
}

/** An empty form. */
export const EMPTY_ALERT: AlertDraft = { direction: "below", threshold: "" };

/** Errors by field; `form` is the whole form. */
export type AlertErrors = Partial<Record<"direction" | "threshold" | "form", string>>;

/**
 * Checks a draft; the alert to set when there is nothing wrong. A "below" threshold of 0 could
 * never fire (balances are not negative), so it starts at 1.
 */
export function validateAlert(draft: AlertDraft): {
  errors: AlertErrors;
  alert: { direction: AlertDirection; threshold: number } | null;
} {
  if (draft.direction !== "below" && draft.direction !== "above") {
    return { errors: { direction: "Choose below or above." }, alert: null };
  }
  const threshold = parseCredits(draft.threshold, "a threshold", draft.direction === "below" ? 1 : 0);
  if (typeof threshold === "string") return { errors: { threshold }, alert: null };
  return { errors: {}, alert: { direction: draft.direction, threshold } };
}

/** Puts a failed set/clear's error next to the field it concerns. */
export function alertErrorsOf(error: unknown): AlertErrors {
  if (!(error instanceof ApiError)) return { form: "Could not save the alert. Try again." };
  switch (error.code) {
    case "invalid_amount":
    case "invalid_body":
    case "invalid_request":
      return { threshold: error.message };
    case "alert_not_set":
      return { form: "That alert was not set." };
    default:
      return { form: error.message };
  }
}
