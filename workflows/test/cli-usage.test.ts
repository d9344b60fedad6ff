import { describe, expect, it } from "vitest";
import { tmp, tree, workflow } from "./cli.js";

describe("keyward-workflow usage", () => {
  it("prints help, and names usage mistakes with exit code 2 without writing anything", () => {
    const cwd = tmp();
    const help = workflow(cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^keyward-workflow: scaffold Keyward into your monorepo/);
    expect(help.stdout).toContain("kickoff <id> [--name NAME] [--dir DIR] [--dry-run] [--force]");
    const cases: [string[], RegExp][] = [
      [["frob"], /unknown command "frob"/],
      [["kickoff"], /kickoff needs a workflow id \(see: keyward-workflow list\)/],
      [["kickoff", "secrets-service/init", "acme"], /unexpected argument\(s\) acme; options start with --/],
      [["kickoff", "secrets-service/init", "--dry-run=yes"], /--dry-run/],
    ];
    for (const [args, message] of cases) {
      const r = workflow(cwd, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(tree(cwd)).toEqual([]);
  });
});
