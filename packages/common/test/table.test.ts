import { describe, expect, it } from "vitest";
import { formatTable } from "../src/index.js";

describe("formatTable", () => {
  it("aligns columns by what shows: ANSI colour codes take no width", () => {
    const green = (t: string) => `\u001b[32m${t}\u001b[0m`;
    const table = formatTable(["STATUS", "NAME"], [[green("ok"), "A"], ["pending", "B"]]);
    const visible = table.replace(/\u001b\[[0-9;]*m/g, "").split("\n");
    expect(visible).toEqual(["STATUS   NAME", "ok       A", "pending  B"]);
    expect(table).toContain(`${green("ok")}       A`);
  });
});
