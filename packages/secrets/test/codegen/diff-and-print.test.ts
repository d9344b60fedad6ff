import { describe, expect, it } from "vitest";
import { formatSecretsTable, summarizeDiff } from "../../src/codegen/index.js";
import { combineSchemas } from "../../src/schema/index.js";
import { makeMonorepo } from "../fixtures/tree.js";

describe("summarizeDiff", () => {
  it("counts added and removed lines around the changed block and shows the first difference", () => {
    expect(summarizeDiff("a\nb\nc\n", "a\nB\nc\nd\n")).toBe("+2/-1 lines; first difference at line 2:\n- b\n+ B");
    expect(summarizeDiff("a\nb\n", "a\n")).toBe("+0/-1 lines; first difference at line 2:\n- b");
    expect(summarizeDiff("a\nb\nc\n", "a\nc\nb\n")).toBe("+0/-0 lines; first difference at line 2:\n(lines moved)");
    // An insertion between similar blocks is shown as an insertion, not as a replaced line.
    expect(summarizeDiff("{\n  x: 1,\n}\n{\n  z: 1,\n}\n", "{\n  x: 1,\n}\n{\n  y: 1,\n}\n{\n  z: 1,\n}\n")).toBe("+3/-0 lines; first difference at line 5:\n+   y: 1,");
  });

  it("clips long lines", () => {
    expect(summarizeDiff("x", "y".repeat(300)).split("\n")[2]).toHaveLength(102);
  });
});

describe("formatSecretsTable", () => {
  it("lists name, type, optional, rotation, source and description", () => {
    const repo = makeMonorepo();
    expect(formatSecretsTable(combineSchemas(repo.at("packages/app")))).toBe(
      [
        "NAME            TYPE          OPTIONAL  ROTATION  SOURCE       DESCRIPTION",
        "DATABASE_URL    database-url  no        30d       lib          PostgreSQL connection string",
        "OPENAI_API_KEY  llm-api-key   no        90d       third-party  OpenAI API key used by third-party",
        "SENTRY_DSN      generic       yes       365d      app          Sentry DSN for error reports",
        "STRIPE_API_KEY  api-key       no        90d       app          Stripe API key for charging cards",
        "",
      ].join("\n"),
    );
  });
});
