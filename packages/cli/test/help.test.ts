import { describe, expect, it } from "vitest";
import { commands } from "../src/index.js";
import { cliEnv, runCli } from "./harness.js";

describe("keyward --help", () => {
  it("lists every subcommand each command's own help documents, and import's --from", async () => {
    const top = (await runCli(["--help"], cliEnv())).stdout;
    const lineOf = (name: string) => top.split("\n").find((l) => l.startsWith(`  ${name} `)) ?? "";
    for (const name of Object.keys(commands)) {
      const own = await runCli([name, "--help"], cliEnv());
      expect(own.code, name).toBe(0);
      const line = lineOf(name);
      expect(line, `${name} in keyward --help`).not.toBe("");
      // "keyward secrets retest NAME …" → "retest": a lower-case word right after the command.
      const documented = [...own.stdout.matchAll(new RegExp(`^\\s+keyward ${name} ([a-z][a-z-]*)\\b`, "gm"))].map((m) => m[1]!);
      const listed = new Set(line.trim().split(/\s+/)[1]?.replace(/^\[|\]$/g, "").split("|"));
      for (const sub of documented) expect(listed.has(sub), `keyward ${name} ${sub} in keyward --help: ${line.trim()}`).toBe(true);
    }
    expect(lineOf("import")).toContain("--from vault|aws|azure|infisical");
  });
});
