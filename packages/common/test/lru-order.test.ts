import { describe, expect, it } from "vitest";
import { createLruOrder } from "../src/lru-order.js";

/** A bounded map as the caches use it: evict the first key when full, stamp on insert, touch on read. */
function boundedMap(capacity: number) {
  const map = new Map<string, { seq: number }>();
  const order = createLruOrder(capacity);
  return {
    map,
    insert(key: string) {
      if (map.size >= capacity) map.delete(map.keys().next().value!);
      const entry = { seq: 0 };
      order.stamp(entry);
      map.set(key, entry);
    },
    read(key: string) {
      const entry = map.get(key);
      if (entry) order.touch(map, key, entry);
      return entry !== undefined;
    },
  };
}

describe("least-recently-used order", () => {
  it("keeps a key read once per half a capacity of inserts through a flood; an unread one goes", () => {
    const m = boundedMap(100);
    m.insert("hot");
    m.insert("cold");
    for (let i = 0; i < 1000; i++) {
      m.insert(`k${i}`);
      if (i % 50 === 0) expect(m.read("hot")).toBe(true);
    }
    expect(m.read("hot")).toBe(true);
    expect(m.read("cold")).toBe(false);
    expect(m.map.size).toBe(100);
  });

  it("does not move a recently inserted key on read (the Map is left alone), but moves an old one", () => {
    const m = boundedMap(10);
    for (const k of ["a", "b", "c"]) m.insert(k);
    m.read("a");
    expect([...m.map.keys()]).toEqual(["a", "b", "c"]);
    for (const k of ["d", "e", "f", "g"]) m.insert(k);
    m.read("a"); // six inserts later: older than half the capacity
    expect([...m.map.keys()]).toEqual(["b", "c", "d", "e", "f", "g", "a"]);
  });

  it("at capacity 2 behaves as exact LRU", () => {
    const m = boundedMap(2);
    m.insert("a");
    m.insert("b");
    m.read("a");
    m.insert("c"); // evicts b
    expect([m.read("a"), m.read("b"), m.read("c")]).toEqual([true, false, true]);
  });
});
