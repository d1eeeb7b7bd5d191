import { describe, expect, it } from "vitest";
import type { OrchestratedAccount } from "@/lib/types";
import { countByStatus, positionsText } from "./NoiseTraders";

describe("positionsText", () => {
  it("lists owned shares with the held part, skipping empty positions", () => {
    expect(
      positionsText([
        { symbol: "MNAD", available: 8, held: 2 },
        { symbol: "ZERO", available: 0, held: 0 },
        { symbol: "BIG", available: 1500, held: 0 },
      ]),
    ).toBe("MNAD 10 (2 held), BIG 1,500");
    expect(positionsText([])).toBe("—");
  });
});

describe("countByStatus", () => {
  it("counts active and liquidated traders", () => {
    const account = (status: "active" | "closed") => ({ status }) as OrchestratedAccount;
    expect(countByStatus([account("active"), account("closed"), account("active")])).toEqual({ active: 2, closed: 1 });
  });
});
