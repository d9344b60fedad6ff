import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/index.js";

describe("backoffDelay (full jitter)", () => {
  const options = { baseMs: 100, maxMs: 1000 };
  it("doubles the ceiling per retry up to maxMs", () => {
    const almostOne = () => 0.999999;
    expect([0, 1, 2, 3, 4, 10].map((r) => backoffDelay(r, options, almostOne))).toEqual([99, 199, 399, 799, 999, 999]);
  });
  it("scales the ceiling by the random draw, so clients that failed together spread out", () => {
    expect(backoffDelay(2, options, () => 0)).toBe(0);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
    expect(backoffDelay(2, options, () => 0.25)).toBe(100);
  });
});
