import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// tokens.css declares the dark palette twice (for data-kw-theme="dark" and for the system's dark
// preference): these checks keep the copies identical and every light token themed in both.
const css = readFileSync(path.resolve(import.meta.dirname, "../src/styles/tokens.css"), "utf8");

function block(after: string): Map<string, string> {
  const start = css.indexOf(after);
  expect(start, `tokens.css has ${after}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf("{", start + after.length - 1) + 1, css.indexOf("}", start));
  return new Map([...body.matchAll(/(--kw-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

describe("design tokens", () => {
  const light = block(':where([data-kw-theme="light"]) {');
  const dark = block(':where([data-kw-theme="dark"]) {');
  const systemDark = block(':where(:root:not([data-kw-theme="light"])) {');

  it("the system-dark copy of the dark palette is the same as the forced-dark one", () => {
    expect(dark.size).toBeGreaterThan(30);
    expect(Object.fromEntries(systemDark)).toEqual(Object.fromEntries(dark));
  });

  it("every themed token has a light and a dark value, and the schemes are named", () => {
    expect([...dark.keys()].sort()).toEqual([...light.keys()].sort());
    expect([light.get("--kw-color-scheme"), dark.get("--kw-color-scheme")]).toEqual(["light", "dark"]);
  });
});
