import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { permissionsMarkdown, routeTable } from "../src/index.js";

describe("README", () => {
  it("shows the permission matrix exactly as the code defines it", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
    expect(readme).toContain(permissionsMarkdown(routeTable()));
  });
});
