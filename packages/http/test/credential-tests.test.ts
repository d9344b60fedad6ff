// Issue #17: "test connection" runs on the server, records the credential's health with its audit
// row, raises credential.failed when a credential starts failing, and never lets the value out.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutboxEvents } from "@keyward/db";
import type { CredentialTestResult } from "@keyward/credential-tests";
import type { CredentialTester } from "../src/index.js";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const GOOD = "sk-proj-good" + randomBytes(12).toString("hex");
const BAD = "sk-proj-bad" + randomBytes(12).toString("hex");
const QUOTING = "sk-proj-quote" + randomBytes(12).toString("hex");

/**
 * A tester for "llm-api-key" standing in for the real ones (their own tests drive them against local
 * servers): it knows GOOD, refuses the rest, quotes QUOTING back (which the server must withhold),
 * and holds a test open while `hold` is set so the in-flight state can be seen.
 */
function fakeTester() {
  let hold: Promise<void> | undefined;
  const seen: string[] = [];
  const tester: CredentialTester = {
    has: (type) => type === "llm-api-key",
    async test(_type, value): Promise<CredentialTestResult> {
      seen.push(value);
      if (hold) await hold;
      if (value === GOOD) return { status: "connected" };
      if (value === QUOTING) return { status: "error", code: "unauthorized", error: `key ${value} is not valid` };
      return { status: "error", code: "unauthorized", error: "OpenAI answered 401: invalid API key" };
    },
  };
  return { tester, seen, holdUntil: (p: Promise<void>) => void (hold = p), release: () => void (hold = undefined) };
}

describe.each(backends)("credential connection tests on %s", (backend) => {
  let api: Api;
  const fake = fakeTester();
  beforeAll(async () => {
    api = await startApi({ backend, credentialTester: fake.tester, http: { credentialTestsPerMinute: 600 } });
  });
  afterAll(async () => {
    for (const v of [GOOD, BAD, QUOTING]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  const test = (name: string, token?: string) => api.call("POST", `/api/secrets/${name}/test-connection`, token ? { token } : {});
  const audit = async (name: string) =>
    (await api.kdb.db.selectFrom("audit_log").selectAll().where("target", "=", `secret:${name}`).where("action", "like", "secret.credential.%").orderBy("seq").execute()).map((r) => [r.action, r.result, r.reason]);

  it("an untested credential reads untested; a testable type says so; others are not testable", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "OPENAI_KEY", type: "llm-api-key", value: GOOD } })).status).toBe(201);
    expect((await api.call("POST", "/api/secrets", { body: { name: "PLAIN", type: "generic", value: GOOD } })).status).toBe(201);
    const openai = await api.call("GET", "/api/secrets/OPENAI_KEY");
    expect(openai.json.credential).toEqual({ state: "untested", testable: true, lastError: null, lastErrorCode: null, checkedAt: null, lastSuccessAt: null, reverifyEveryHours: null, nextCheckAt: null });
    expect((await api.call("GET", "/api/secrets/PLAIN")).json.credential).toMatchObject({ state: "untested", testable: false });
    expectProblem(await test("PLAIN"), 409, "name");
    expect(fake.seen).toEqual([]);
  });

  it("a passing test reads connected, audited with the version; a failing one reads error with the tester's text, and raises credential.failed once", async () => {
    const ok = await test("OPENAI_KEY");
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.credential).toMatchObject({ state: "connected", lastError: null });
    expect(ok.json.credential.checkedAt).toBe(ok.json.credential.lastSuccessAt);
    expect(fake.seen).toEqual([GOOD]);

    expect((await api.call("PUT", "/api/secrets/OPENAI_KEY/value", { body: { value: BAD } })).status).toBe(200);
    const failed = await test("OPENAI_KEY");
    expect(failed.json.credential).toMatchObject({ state: "error", lastError: "OpenAI answered 401: invalid API key", lastErrorCode: "unauthorized", lastSuccessAt: ok.json.credential.lastSuccessAt });
    const again = await test("OPENAI_KEY");
    expect(again.json.credential.state).toBe("error");
    expect(await audit("OPENAI_KEY")).toEqual([
      ["secret.credential.test", "ok", "connected (version 1)"],
      ["secret.credential.test", "error", "unauthorized: OpenAI answered 401: invalid API key (version 2)"],
      ["secret.credential.test", "error", "unauthorized: OpenAI answered 401: invalid API key (version 2)"],
    ]);
    // One event for the change from working to failing, not one per failed test.
    const events = (await listOutboxEvents(api.kdb.db)).filter((e) => e.type === "credential.failed");
    expect(events.map((e) => [e.subject, e.environment, e.link])).toEqual([["OPENAI_KEY", "development", "/admin/secrets?name=OPENAI_KEY&environment=development"]]);
    expect(JSON.stringify(events)).not.toContain(BAD);
  });

  it("reads verifying while a test is in flight", async () => {
    let open!: () => void;
    fake.holdUntil(new Promise<void>((r) => (open = r)));
    const running = test("OPENAI_KEY");
    for (let i = 0; i < 100 && (await api.call("GET", "/api/secrets/OPENAI_KEY")).json.credential.state !== "verifying"; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await api.call("GET", "/api/secrets/OPENAI_KEY")).json.credential.state).toBe("verifying");
    open();
    fake.release();
    expect((await running).json.credential.state).toBe("error");
  });

  it("withholds an error text that quotes the value", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "QUOTED_KEY", type: "llm-api-key", value: QUOTING } })).status).toBe(201);
    const r = await test("QUOTED_KEY");
    expect(r.json.credential.lastError).toBe("the connection test failed (details withheld: they quoted the value)");
    expect(JSON.stringify(await audit("QUOTED_KEY"))).not.toContain(QUOTING);
  });

  it("refuses a secret without a value, a disabled one, an unknown one, and roles that may not set values", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "STUB_KEY", type: "llm-api-key" } })).status).toBe(201);
    expectProblem(await test("STUB_KEY"), 409, "name");
    expect((await api.call("POST", "/api/secrets/QUOTED_KEY/disable")).status).toBe(200);
    expectProblem(await test("QUOTED_KEY"), 409, "name");
    expect((await api.call("GET", "/api/secrets/QUOTED_KEY")).json.credential.state).toBe("disabled");
    expectProblem(await test("NO_SUCH"), 404, "name");
    expectProblem(await test("OPENAI_KEY", api.tokens.viewer), 403);
    expect((await test("OPENAI_KEY", api.tokens.operator)).status).toBe(200);
  });

  it("turns scheduled re-verification on and off, audited; only for testable types", async () => {
    const on = await api.call("PUT", "/api/secrets/OPENAI_KEY/verification", { body: { everyHours: 12 } });
    expect(on.status, on.text).toBe(200);
    expect(on.json.credential.reverifyEveryHours).toBe(12);
    expect(on.json.credential.nextCheckAt).not.toBeNull();
    expectProblem(await api.call("PUT", "/api/secrets/PLAIN/verification", { body: { everyHours: 12 } }), 409, "everyHours");
    expectProblem(await api.call("PUT", "/api/secrets/OPENAI_KEY/verification", { body: { everyHours: 0 } }), 400);
    const off = await api.call("PUT", "/api/secrets/OPENAI_KEY/verification", { body: { everyHours: null } });
    expect(off.json.credential).toMatchObject({ reverifyEveryHours: null, nextCheckAt: null, state: "error" });
    expect((await audit("OPENAI_KEY")).filter(([a]) => a === "secret.credential.schedule")).toEqual([
      ["secret.credential.schedule", "ok", "every 12 h"],
      ["secret.credential.schedule", "ok", "off"],
    ]);
  });
});

describe("credential connection tests are rate-limited per secret", () => {
  it("answers 429 with Retry-After past the budget, without calling the tester", async () => {
    const fake = fakeTester();
    const api = await startApi({ credentialTester: fake.tester, http: { credentialTestsPerMinute: 2 } });
    try {
      expect((await api.call("POST", "/api/secrets", { body: { name: "LIMITED", type: "llm-api-key", value: GOOD } })).status).toBe(201);
      expect((await api.call("POST", "/api/secrets/LIMITED/test-connection")).status).toBe(200);
      const limited = await api.call("POST", "/api/secrets/LIMITED/test-connection");
      expectProblem(limited, 429);
      expect(limited.headers.get("retry-after")).toBe("10");
      expect(fake.seen).toEqual([GOOD]);
    } finally {
      await api.close();
    }
  });
});
