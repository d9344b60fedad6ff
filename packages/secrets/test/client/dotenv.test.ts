import { describe, expect, it } from "vitest";
import { parseDotenv, parseDotenvEntries, SecretsConfigError } from "../../src/index.js";

describe("parseDotenv", () => {
  it("reads plain, exported, quoted and multi-line values, and skips comments", () => {
    const text = [
      "# a comment",
      "",
      "PLAIN=abc",
      "export EXPORTED = spaced value  ",
      "HASH_INSIDE=a#b",
      "COMMENTED=value # trailing comment",
      "EMPTY=",
      "ONLY_COMMENT= # nothing",
      "SINGLE='literal \\n $HOME # not a comment'",
      'DOUBLE="line1\\nline2 \\"quoted\\" \\\\ done" # comment',
      'MULTI="first',
      'second"',
      "AFTER=ok",
      "WINDOWS=crlf\r",
    ].join("\n");
    expect(parseDotenv(text, ".env")).toEqual({
      PLAIN: "abc",
      EXPORTED: "spaced value",
      HASH_INSIDE: "a#b",
      COMMENTED: "value",
      EMPTY: "",
      ONLY_COMMENT: "",
      SINGLE: "literal \\n $HOME # not a comment",
      DOUBLE: 'line1\nline2 "quoted" \\ done',
      MULTI: "first\nsecond",
      AFTER: "ok",
      WINDOWS: "crlf",
    });
  });

  it("names the file and line of a malformed line without echoing its content", () => {
    const err = (() => {
      try {
        parseDotenv("OK=1\nthis line has sk_live_secret in it\n", "app/.env");
      } catch (e) {
        return e as SecretsConfigError;
      }
    })();
    expect(err).toBeInstanceOf(SecretsConfigError);
    expect(err?.message).toBe("app/.env:2: expected KEY=value (a name of letters, digits and _, then =)");
    expect(() => parseDotenv('A=1\nB="never closed sk_live_x\nC=2', ".env")).toThrow(/^\.env:2: the quoted value of B is never closed \(missing "\)$/);
    expect(() => parseDotenv("A='x' trailing", ".env")).toThrow(/^\.env:1: unexpected text after the closing quote of A$/);
  });

  it("parseDotenvEntries keeps file order, repeats and the line each entry starts on", () => {
    expect(parseDotenvEntries('A=1\n# c\nB="x\ny"\nA=2\n', ".env")).toEqual([
      { name: "A", value: "1", line: 1 },
      { name: "B", value: "x\ny", line: 3 },
      { name: "A", value: "2", line: 5 },
    ]);
    expect(parseDotenv("A=1\nA=2\n", ".env")).toEqual({ A: "2" });
  });
});
