import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api";
import type { AlertDirection } from "@/lib/types";
import { alertErrorsOf, validateAlert } from "./alertValidation";

describe("validateAlert", () => {
  it("accepts a whole threshold", () => {
    expect(validateAlert({ direction: "above", threshold: "2,000" })).toEqual({
      errors: {},
      alert: { direction: "above", threshold: 2000 },
    });
  });
  it("lets an above alert start at 0 but a below alert only at 1 (a balance is never negative)", () => {
    expect(validateAlert({ direction: "above", threshold: "0" }).alert).toEqual({ direction: "above", threshold: 0 });
    const below = validateAlert({ direction: "below", threshold: "0" });
    expect(below.alert).toBeNull();
    expect(below.errors.threshold).toBe("Enter a threshold of at least 1.");
  });
  it("refuses text that is not a whole number", () => {
    expect(validateAlert({ direction: "below", threshold: "12.5" }).errors.threshold).toMatch(/whole number/);
    expect(validateAlert({ direction: "below", threshold: "" }).errors.threshold).toBe("Enter a threshold.");
  });
  it("refuses an unknown direction (a stale draft, say)", () => {
    const result = validateAlert({ direction: "sideways" as AlertDirection, threshold: "5" });
    expect(result).toEqual({ errors: { direction: "Choose below or above." }, alert: null });
  });
});

describe("alertErrorsOf", () => {
  it("maps server errors to the threshold or the form", () => {
    expect(alertErrorsOf(new ApiError(400, "invalid_body", "threshold: invalid type"))).toEqual({
      threshold: "threshold: invalid type",
    });
    expect(alertErrorsOf(new ApiError(400, "alert_not_set", "no below alert"))).toEqual({ form: "That alert was not set." });
    expect(alertErrorsOf(new ApiError(403, "account_closed", "closed"))).toEqual({ form: "closed" });
  });
});
