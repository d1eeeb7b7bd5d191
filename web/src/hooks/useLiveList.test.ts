import { describe, expect, it } from "vitest";
import { liveListOf, mergeLive } from "./useLiveList";

const entry = (seq: number, name = `e${seq}`) => ({ seq, name });

describe("liveListOf", () => {
  it("keeps the newest-first REST answer, capped, and remembers its newest seq", () => {
    expect(liveListOf([entry(9), entry(7), entry(3)], 2)).toEqual({ items: [entry(9), entry(7)], baseSeq: 9 });
    expect(liveListOf([], 5)).toEqual({ items: [], baseSeq: 0 });
  });
});

describe("mergeLive", () => {
  it("puts live entries on top, newest first", () => {
    const data = liveListOf([entry(5)], 10);
    expect(mergeLive(data, [entry(6), entry(8)], 10).items).toEqual([entry(8), entry(6), entry(5)]);
  });

  it("drops entries the REST answer already holds but keeps several entries of one new seq", () => {
    const data = liveListOf([entry(5, "a"), entry(4)], 10);
    const merged = mergeLive(data, [entry(5, "a"), entry(6, "x"), entry(6, "y")], 10);
    expect(merged.items).toEqual([entry(6, "y"), entry(6, "x"), entry(5, "a"), entry(4)]);
  });

  it("returns the same data when nothing is new, and caps the length", () => {
    const data = liveListOf([entry(5), entry(4)], 3);
    expect(mergeLive(data, [entry(3)], 3)).toBe(data);
    expect(mergeLive(data, [entry(6), entry(7)], 3).items).toEqual([entry(7), entry(6), entry(5)]);
  });

  it("does not change the incoming array", () => {
    const incoming = [entry(6), entry(7)];
    mergeLive(liveListOf([], 5), incoming, 5);
    expect(incoming).toEqual([entry(6), entry(7)]);
  });
});
