/**
 * The public activity feed in words: each entry becomes one readable sentence, and belongs
 * to one of the categories the page filters by.
 */
import { formatNumber } from "@/lib/format";
import type { Activity } from "@/lib/types";

/** The categories the feed can be filtered by. */
export type ActivityCategory = "trades" | "transfers" | "joined" | "closed";

/** Every category, in the order the filters show them, with their labels. */
export const ACTIVITY_CATEGORIES: readonly { value: ActivityCategory; label: string }[] = [
  { value: "trades", label: "Trades" },
  { value: "transfers", label: "Transfers" },
  { value: "joined", label: "Accounts opened" },
  { value: "closed", label: "Accounts closed" },
];

/** The category of an entry. */
export function categoryOf(entry: Activity): ActivityCategory {
  switch (entry.kind) {
    case "trade":
      return "trades";
    case "transfer":
      return "transfers";
    case "account_opened":
      return "joined";
    case "account_closed":
      return "closed";
  }
}

/** The entries of the chosen categories, in the order given. */
export function filterActivity(entries: Activity[], shown: ReadonlySet<ActivityCategory>): Activity[] {
  return entries.filter((entry) => shown.has(categoryOf(entry)));
}

function credits(amount: number): string {
  return `${formatNumber(amount)} ${amount === 1 ? "credit" : "credits"}`;
}

function shares(quantity: number, symbol: string): string {
  return `${formatNumber(quantity)} ${symbol}`;
}

/** One sentence saying what happened. */
export function describeActivity(entry: Activity): string {
  switch (entry.kind) {
    case "trade":
      return `${shares(entry.quantity, entry.symbol)} traded at ${formatNumber(entry.price)} (${
        entry.taker_side === "buy" ? "a buyer took the offer" : "a seller hit the bid"
      })`;
    case "transfer":
      switch (entry.reason) {
        case "deposit":
          return `${credits(entry.amount)} deposited into account #${entry.to}`;
        case "funding":
          return `Orchestrator #${entry.from ?? "?"} funded trader #${entry.to} with ${credits(entry.amount)}`;
        case "liquidation":
          return `Trader #${entry.from ?? "?"} was liquidated: ${credits(entry.amount)} returned to orchestrator #${entry.to}`;
        case "payment":
          return `Account #${entry.from ?? "?"} sent ${credits(entry.amount)} to account #${entry.to}`;
      }
      break;
    case "account_opened":
      if (entry.orchestrated_by !== null) {
        return `Trader #${entry.account_id} joined, funded by orchestrator #${entry.orchestrated_by}`;
      }
      if (entry.account_kind === "orchestrator") return `Orchestrator #${entry.account_id} opened an account`;
      if (entry.account_kind === "admin") return `Administrator #${entry.account_id} opened an account`;
      return `Account #${entry.account_id} opened`;
    case "account_closed":
      return entry.orchestrated_by !== null
        ? `Trader #${entry.account_id} was liquidated by orchestrator #${entry.orchestrated_by}`
        : `Account #${entry.account_id} closed`;
  }
  return "Something happened";
}

/** A stable React key: entries share a seq when one command does several things. */
export function activityKey(entry: Activity, index: number): string {
  return `${entry.seq}:${entry.kind}:${index}`;
}

/** True when `entry` names account `accountId` (so the feed can mark the user's own entries). */
export function involves(entry: Activity, accountId: number): boolean {
  switch (entry.kind) {
    case "trade":
      return false;
    case "transfer":
      return entry.from === accountId || entry.to === accountId;
    case "account_opened":
    case "account_closed":
      return entry.account_id === accountId || entry.orchestrated_by === accountId;
  }
}
