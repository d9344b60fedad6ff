import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/index.js";

describe("createRedactor", () => {
  it("masks every remembered value, longest first and in one pass, with the secret's name", () => {
    const r = createRedactor();
    expect(r.redact("nothing yet")).toBe("nothing yet");
    r.remember("SHORT", "red");
    r.remember("LONG", "sk_red_secret");
    r.remember("REGEXY", "a.b*c(d)[e]$");
    const line = "key=sk_red_secret color=red odd=a.b*c(d)[e]$ other=axbbc";
    expect(r.redact(line)).toBe("key=[redacted:LONG] color=[redacted:SHORT] odd=[redacted:REGEXY] other=axbbc");
  });

  it("keeps earlier versions, ignores empty values, and forgets on clear", () => {
    const r = createRedactor();
    r.remember("A", "v1-value");
    r.remember("A", "v2-value");
    r.remember("B", "");
    expect(r.redact("v1-value v2-value")).toBe("[redacted:A] [redacted:A]");
    r.clear();
    expect(r.redact("v1-value")).toBe("v1-value");
  });
});
