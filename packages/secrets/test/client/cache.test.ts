import { describe, expect, it } from "vitest";
import { createSecretCache } from "../../src/index.js";

describe("createSecretCache", () => {
  let now = 0;
  const cache = createSecretCache({ ttlMs: 1_000, maxStaleMs: 500, refreshAheadMs: 200 }, { now: () => now });

  it("is fresh within the TTL, asks for a refresh in the last refreshAheadMs, is stale until maxStaleMs, then gone", () => {
    expect(cache.get("A")).toEqual({ kind: "miss" });
    cache.set("A", "one", 1);
    expect(cache.get("A")).toEqual({ kind: "fresh", value: "one", version: 1, refresh: false });
    now = 799;
    expect(cache.get("A")).toMatchObject({ kind: "fresh", refresh: false });
    now = 800;
    expect(cache.get("A")).toMatchObject({ kind: "fresh", refresh: true });
    now = 1_000;
    expect(cache.get("A")).toEqual({ kind: "stale", value: "one", version: 1 });
    now = 1_499;
    expect(cache.get("A")).toMatchObject({ kind: "stale" });
    now = 1_500;
    expect(cache.get("A")).toEqual({ kind: "miss" });
    now = 0;
    expect(cache.get("A")).toEqual({ kind: "miss" });
  });

  it("set restarts the clock of an entry; delete and clear forget", () => {
    now = 0;
    cache.set("A", "one", 1);
    cache.set("B", "two", 1);
    now = 900;
    cache.set("A", "uno", 2);
    now = 1_100;
    expect(cache.get("A")).toMatchObject({ kind: "fresh", value: "uno", version: 2 });
    expect(cache.get("B")).toMatchObject({ kind: "stale" });
    cache.delete("A");
    expect(cache.get("A")).toEqual({ kind: "miss" });
    cache.clear();
    expect(cache.get("B")).toEqual({ kind: "miss" });
  });

  it("with ttlMs 0 nothing is fresh, but values may still serve as stale", () => {
    const noTtl = createSecretCache({ ttlMs: 0, maxStaleMs: 100, refreshAheadMs: 0 }, { now: () => 0 });
    noTtl.set("A", "one", 1);
    expect(noTtl.get("A")).toMatchObject({ kind: "stale", value: "one" });
  });
});
