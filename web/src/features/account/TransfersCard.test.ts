import { describe, expect, it } from "vitest";
import { transferParty } from "./TransfersCard";

describe("transferParty", () => {
  const base = { seq: 1, time_ms: 1, amount: 5 };
  it("names the counterparty and the reason when it is not a plain payment", () => {
    expect(transferParty({ ...base, direction: "out", counterparty: 2, reason: "payment" })).toBe("To account #2");
    expect(transferParty({ ...base, direction: "in", counterparty: 4, reason: "funding" })).toBe("From account #4 (funding)");
    expect(transferParty({ ...base, direction: "in", counterparty: null, reason: "deposit" })).toBe("Deposit");
  });
});
