import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatches, PATTERN_MAX_LENGTH, secretPatternProblem, SERVICE_NAME_PATTERN, servicePatternProblem } from "@keyward/common";

// The approval rules' glob matcher (in @keyward/common; tested here, where fast-check is).
const nameChar = fc.constantFrom(..."ab.-_@/z9");
const patternChar = fc.constantFrom(..."ab.-_@/z9*?");
const name = fc.array(nameChar, { maxLength: 24 }).map((a) => a.join(""));
const pattern = fc.array(patternChar, { maxLength: 24 }).map((a) => a.join(""));

/** The oracle: the glob as an anchored regular expression, every other character escaped. */
const oracle = (glob: string) => new RegExp(`^${[...glob].map((c) => (c === "*" ? "[^]*" : c === "?" ? "[^]" : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"))).join("")}$`);

describe("globMatches", () => {
  it("agrees with an escaped regular expression on every pattern and name", () => {
    fc.assert(fc.property(pattern, name, (p, n) => globMatches(p, n) === oracle(p).test(n)), { numRuns: 3000 });
  });

  it("matches a name by itself, by * and by the name with any character turned into ? or *", () => {
    fc.assert(
      fc.property(name, fc.nat(), (n, i) => {
        expect(globMatches(n, n)).toBe(true);
        expect(globMatches("*", n)).toBe(true);
        if (n.length === 0) return;
        const at = i % n.length;
        expect(globMatches(n.slice(0, at) + "?" + n.slice(at + 1), n)).toBe(true);
        expect(globMatches(n.slice(0, at) + "*" + n.slice(at + 1), n)).toBe(true);
        expect(globMatches(n + "?", n)).toBe(false);
      }),
    );
  });

  it("takes no regular-expression meaning from the pattern (a dot is a dot)", () => {
    expect(globMatches("web.app", "webxapp")).toBe(false);
    expect(globMatches("web.app", "web.app")).toBe(true);
    expect(globMatches("web-*", "web-")).toBe(true);
    expect(globMatches("web-*", "web")).toBe(false);
    expect(globMatches("?", "")).toBe(false);
    expect(globMatches("", "")).toBe(true);
  });

  it("stays fast on the worst patterns a rule may hold", () => {
    const started = performance.now();
    const worst = "*a".repeat(PATTERN_MAX_LENGTH / 2);
    for (let i = 0; i < 100; i++) expect(globMatches(worst, "a".repeat(127) + "b")).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("pattern validation", () => {
  it("accepts every service name as a service pattern, and the wildcards", () => {
    fc.assert(fc.property(fc.stringMatching(SERVICE_NAME_PATTERN), (n) => servicePatternProblem(n) === undefined));
    expect(servicePatternProblem("web-*")).toBeUndefined();
    expect(servicePatternProblem("*")).toBeUndefined();
    expect(secretPatternProblem("DB_*")).toBeUndefined();
  });

  it("refuses empty, long and regular-expression patterns, naming what is wrong", () => {
    expect(servicePatternProblem("")).toMatch(/empty/);
    expect(servicePatternProblem("a".repeat(129))).toMatch(/129 characters long; the limit is 128/);
    for (const bad of ["web-(a|b)", "web+", "[ab]", "Web", "a b", "a\u0000", "web-.+"]) expect(servicePatternProblem(bad)).toMatch(/wildcards/);
    expect(secretPatternProblem("db_*")).toMatch(/A-Z, 0-9 and _/);
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => (servicePatternProblem(s) === undefined) === /^[a-z0-9._@/\-*?]+$/.test(s)));
  });
});
