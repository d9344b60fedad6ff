// Small deterministic pieces: reasons derived from the proto enum, the token bucket, the cache's
// refusal of stale fills, and label escaping.
import { Reason as ProtoReason, reasonToJSON } from "@keyward/proto";
import { describe, expect, it } from "vitest";
import { createInvalidatingMap } from "../src/cache/invalidating-map.js";
import { createRateLimiter, REASONS, reasonEnum, reasonText } from "../src/index.js";
import { safeLabel } from "../src/labels.js";

describe("reasons", () => {
  it("are exactly the proto enum's values, lower-cased without REASON_, and round-trip", () => {
    const values = Object.values(ProtoReason).filter((v): v is ProtoReason => typeof v === "number" && v > 0);
    expect(REASONS).toHaveLength(values.length);
    for (const v of values) {
      const text = reasonText(v)!;
      expect(`REASON_${text.toUpperCase()}`).toBe(reasonToJSON(v));
      expect(reasonEnum(text)).toBe(v);
    }
    expect(reasonText(ProtoReason.REASON_UNSPECIFIED)).toBeUndefined();
    expect(reasonText(ProtoReason.REASON_TOKEN_PENDING)).toBe("token_pending");
  });
});

describe("rate limiter", () => {
  it("allows a burst, refuses beyond it, and refills at the rate", () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3, 4].map(() => limiter.take("a"))).toEqual([true, true, true, false]);
    expect(limiter.take("b")).toBe(true);
    now = 499;
    expect(limiter.take("a")).toBe(false);
    now = 500;
    expect(limiter.take("a")).toBe(true);
    expect(limiter.take("a")).toBe(false);
    now = 100_000;
    expect([1, 2, 3, 4].map(() => limiter.take("a"))).toEqual([true, true, true, false]);
  });

  it("keeps at most maxKeys buckets, forgetting the least recently used", () => {
    const limiter = createRateLimiter({ perSecond: 0.001, burst: 1, now: () => 0, maxKeys: 2 });
    expect(limiter.take("a")).toBe(true);
    expect(limiter.take("b")).toBe(true);
    expect(limiter.take("a")).toBe(false);
    expect(limiter.take("c")).toBe(true); // evicts b, the least recently used
    expect(limiter.take("a")).toBe(false);
    expect(limiter.take("b")).toBe(true); // a fresh bucket
  });
});

describe("invalidating map", () => {
  it("does not store a fill that raced an invalidation", async () => {
    const map = createInvalidatingMap<string, number>();
    let finish!: (v: number) => void;
    const filling = map.fill("k", () => new Promise<number>((r) => (finish = r)), () => true);
    map.delete("k");
    finish(1);
    expect(await filling).toBe(1);
    expect(map.get("k")).toBeUndefined();
    expect(await map.fill("k", async () => 2, () => true)).toBe(2);
    expect(map.get("k")).toBe(2);
  });

  it("stores only values that `keep` accepts, and stays bounded", async () => {
    const map = createInvalidatingMap<string, number>(2);
    await map.fill("neg", async () => -1, (v) => v > 0);
    expect(map.get("neg")).toBeUndefined();
    for (const k of ["a", "b", "c"]) await map.fill(k, async () => 1, () => true);
    expect(map.size).toBe(2);
    expect(map.get("a")).toBeUndefined();
    expect(map.get("c")).toBe(1);
  });
});

describe("safeLabel", () => {
  it("escapes control characters and lone surrogates, and caps the length", () => {
    expect(safeLabel("A\u0000B\nC")).toBe("A\\u0000B\\u000aC");
    expect(safeLabel("x\ud800y")).toBe("x\\ud800y");
    expect(safeLabel("🔑")).toBe("🔑");
    expect(safeLabel("x".repeat(500))).toHaveLength(128);
  });
});
