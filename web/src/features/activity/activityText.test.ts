import { describe, expect, it } from "vitest";
import type { Activity } from "@/lib/types";
import { categoryOf, describeActivity, filterActivity, involves } from "./activityText";

const base = { seq: 1, time_ms: 0 };
const trade: Activity = { ...base, kind: "trade", symbol: "MNAD", price: 31, quantity: 1200, taker_side: "buy" };
const sold: Activity = { ...base, kind: "trade", symbol: "MNAD", price: 30, quantity: 1, taker_side: "sell" };
const joined: Activity = { ...base, kind: "account_opened", account_id: 12, account_kind: "standard", orchestrated_by: 4 };
const signedUp: Activity = { ...base, kind: "account_opened", account_id: 13, account_kind: "standard", orchestrated_by: null };
const orchestrator: Activity = { ...base, kind: "account_opened", account_id: 4, account_kind: "orchestrator", orchestrated_by: null };
const liquidated: Activity = { ...base, kind: "account_closed", account_id: 12, orchestrated_by: 4 };
const closed: Activity = { ...base, kind: "account_closed", account_id: 9, orchestrated_by: null };
const transfer = (
  reason: "payment" | "funding" | "liquidation" | "deposit",
  from: number | null,
  amount = 1000,
  to = 12,
): Activity => ({
  ...base,
  kind: "transfer",
  from,
  to,
  amount,
  reason,
});

describe("describeActivity", () => {
  it("describes trades with the taker's side", () => {
    expect(describeActivity(trade)).toBe("1,200 MNAD traded at 31 (a buyer took the offer)");
    expect(describeActivity(sold)).toBe("1 MNAD traded at 30 (a seller hit the bid)");
  });
  it("tells noise traders joining from plain sign-ups and orchestrators", () => {
    expect(describeActivity(joined)).toBe("Trader #12 joined, funded by orchestrator #4");
    expect(describeActivity(signedUp)).toBe("Account #13 opened");
    expect(describeActivity(orchestrator)).toBe("Orchestrator #4 opened an account");
  });
  it("tells a liquidation from a plain closing", () => {
    expect(describeActivity(liquidated)).toBe("Trader #12 was liquidated by orchestrator #4");
    expect(describeActivity(closed)).toBe("Account #9 closed");
  });
  it("describes each kind of transfer", () => {
    expect(describeActivity(transfer("deposit", null))).toBe("1,000 credits deposited into account #12");
    expect(describeActivity(transfer("funding", 4))).toBe("Orchestrator #4 funded trader #12 with 1,000 credits");
    expect(describeActivity(transfer("liquidation", 12, 830, 4))).toBe(
      "Trader #12 was liquidated: 830 credits returned to orchestrator #4",
    );
    expect(describeActivity(transfer("payment", 3, 1))).toBe("Account #3 sent 1 credit to account #12");
  });
});

describe("filterActivity", () => {
  it("keeps only the chosen categories, in order", () => {
    const feed = [trade, joined, transfer("funding", 4), liquidated, sold];
    expect(filterActivity(feed, new Set(["trades"] as const))).toEqual([trade, sold]);
    expect(filterActivity(feed, new Set(["joined", "closed"] as const))).toEqual([joined, liquidated]);
    expect(filterActivity(feed, new Set())).toEqual([]);
    expect(feed.map(categoryOf)).toEqual(["trades", "joined", "transfers", "closed", "trades"]);
  });
});

describe("involves", () => {
  it("finds the accounts an entry names", () => {
    expect(involves(joined, 12)).toBe(true);
    expect(involves(joined, 4)).toBe(true);
    expect(involves(joined, 5)).toBe(false);
    expect(involves(transfer("payment", 3), 3)).toBe(true);
    expect(involves(transfer("deposit", null), 12)).toBe(true);
    expect(involves(trade, 12)).toBe(false);
  });
});
