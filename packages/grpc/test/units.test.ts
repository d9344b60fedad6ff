// Small deterministic pieces: reasons derived from the proto enum, the token bucket, the cache's
// refusal of stale fills and its max age, and label escaping.
import { Reason as ProtoReason, reasonToJSON } from "@keyward/proto";
import { describe, expect, it } from "vitest";
import { createInvalidatingMap } from "@keyward/common";
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
    const map = createInvalidatingMap<string, number>({ maxAgeMs: 60_000 });
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
    const map = createInvalidatingMap<string, number>({ maxEntries: 2, maxAgeMs: 60_000 });
    await map.fill("neg", async () => -1, (v) => v > 0);
    expect(map.get("neg")).toBeUndefined();
    for (const k of ["a", "b", "c"]) await map.fill(k, async () => 1, () => true);
    expect(map.size).toBe(2);
    expect(map.get("a")).toBeUndefined();
    expect(map.get("c")).toBe(1);
  });

  it("when full, evicts the least recently used entry: a key read since it was filled stays", async () => {
    const map = createInvalidatingMap<string, number>({ maxEntries: 3, maxAgeMs: 60_000 });
    for (const k of ["a", "b", "c"]) await map.fill(k, async () => 1, () => true);
    expect(map.get("a")).toBe(1); // a is now the most recently used; b the least
    await map.fill("d", async () => 1, () => true);
    expect([map.size, map.get("b"), map.get("a"), map.get("c"), map.get("d")]).toEqual([3, undefined, 1, 1, 1]);
    // Filling a key already present replaces it without evicting another.
    await map.fill("a", async () => 2, () => true);
    expect([map.size, map.get("a"), map.get("c"), map.get("d")]).toEqual([3, 2, 1, 1]);
  });

  it("misses an entry older than maxAgeMs, counted from the start of the load that filled it", async () => {
    let now = 1_000;
    const map = createInvalidatingMap<string, number>({ maxAgeMs: 100, now: () => now });
    let finish!: (v: number) => void;
    const filling = map.fill("k", () => new Promise<number>((r) => (finish = r)), () => true);
    now += 40; // the load takes 40 ms: its value is only as fresh as the load's start
    finish(1);
    await filling;
    now += 60;
    expect(map.get("k")).toBe(1);
    now += 1;
    expect(map.get("k")).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("keeps nothing while caching is off, and drops everything when it is switched", async () => {
    const map = createInvalidatingMap<string, number>({ maxAgeMs: 60_000 });
    await map.fill("a", async () => 1, () => true);
    map.setCaching(false);
    expect(map.get("a")).toBeUndefined();
    expect(await map.fill("a", async () => 2, () => true)).toBe(2);
    expect(map.get("a")).toBeUndefined();
    // A load that started while off is not kept after caching comes back on.
    let finish!: (v: number) => void;
    const filling = map.fill("b", () => new Promise<number>((r) => (finish = r)), () => true);
    map.setCaching(true);
    finish(3);
    await filling;
    expect(map.get("b")).toBeUndefined();
    await map.fill("b", async () => 4, () => true);
    expect(map.get("b")).toBe(4);
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
