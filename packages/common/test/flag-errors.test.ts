import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { closestName, describeFlagError, runCommand, type CommandIo } from "../src/index.js";

const OPTIONS = { name: { type: "string", short: "n" }, json: { type: "boolean" }, environment: { type: "string" } } as const;

function errorFor(args: string[]): unknown {
  try {
    parseArgs({ args, strict: true, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return error;
  }
  throw new Error(`parseArgs accepted ${JSON.stringify(args)}`);
}

function sink() {
  let text = "";
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe("describeFlagError", () => {
  it.each([
    [["--jsn"], "unknown flag --jsn (did you mean --json?)"],
    [["--enviroment", "prod"], "unknown flag --enviroment (did you mean --environment?)"],
    [["--force"], "unknown flag --force (see --help for the flags)"],
    [["-z"], "unknown flag -z (see --help for the flags)"],
    [["--name"], "--name needs a value"],
    [["-n"], "--name needs a value"],
    [["--json=yes"], "--json takes no value"],
    [["--name", "-x"], '--name needs a value; to give one that starts with "-", write --name=VALUE'],
  ])("%j → %s", (args, message) => {
    expect(describeFlagError(errorFor(args), OPTIONS)).toBe(message);
  });

  it("never repeats what followed the = of a mistyped flag", () => {
    const message = describeFlagError(errorFor(["--tokn=kw_live_s3cr3t-value"]), OPTIONS);
    expect(message).toBe("unknown flag --tokn (see --help for the flags)");
    expect(message).not.toContain("s3cr3t");
  });

  it("keeps only the first line of an error it does not know", () => {
    expect(describeFlagError(new Error("first\nsecond"), OPTIONS)).toBe("first");
  });
});

describe("closestName", () => {
  it("picks the nearest candidate within the limit, or none", () => {
    expect(closestName("--jsno", ["--json", "--name"], 2)).toBe("--json");
    expect(closestName("--zzzzzz", ["--json", "--name"], 2)).toBeUndefined();
  });
});

describe("runCommand", () => {
  it("prints the flag error, a blank line and the help on stderr, exit 2", async () => {
    const out = sink();
    const err = sink();
    const io: CommandIo = { stdout: out.stream, stderr: err.stream, env: {} };
    const code = await runCommand(["--jsn"], io, "Usage: thing [--json]\n", OPTIONS, async () => 0);
    expect(code).toBe(2);
    expect(out.text()).toBe("");
    expect(err.text()).toBe("error: unknown flag --jsn (did you mean --json?)\n\nUsage: thing [--json]\n");
  });
});
