import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAccessRequest, getEnvironmentByName, registerServiceToken } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const GOOD = "sk_live_" + randomBytes(12).toString("hex");
const BAD = "not-a-key-" + randomBytes(12).toString("hex");

type Result = { name: string; valueState: string; access: string; token: string; rotation: string; rule: string; failedRule: string | null; served: boolean };

// POST /api/preflight: will a service get its secrets when it starts? (issue #15)
describe.each(backends)("preflight on %s", (backend) => {
  let api: Api;
  let dev: string;
  const preflight = async (body: unknown, token?: string) => api.call("POST", "/api/preflight", { body, ...(token ? { token } : {}) });
  const byName = (results: Result[]) => Object.fromEntries(results.map((r) => [r.name, r]));
  // The rules a service declared for a secret (recorded from its GetSecret policy; seeded here).
  const storeRules = (name: string, rules: object | null) => api.kdb.db.updateTable("secret_definitions").set({ rules_json: rules && JSON.stringify(rules) }).where("name", "=", name).execute();
  beforeAll(async () => {
    api = await startApi({ backend });
    dev = (await getEnvironmentByName(api.kdb.db, "development"))!.id;
  });
  afterAll(async () => {
    // No value in any response body or log line.
    for (const v of [GOOD, BAD]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("reports value, access, token, rotation and rules per secret, and whether it is served", async () => {
    await api.call("POST", "/api/secrets", { body: { name: "PF_KEY", description: "k", value: GOOD } });
    await api.call("POST", "/api/secrets", { body: { name: "PF_BAD", description: "b", value: BAD } });
    await api.call("POST", "/api/secrets", { body: { name: "PF_STUB", description: "s" } });
    await api.call("POST", "/api/secrets", { body: { name: "PF_OFF", description: "o", value: GOOD } });
    await api.call("POST", "/api/secrets/PF_OFF/disable");
    const rules = { pattern: "^sk_live_[0-9a-f]+$" };
    for (const name of ["PF_KEY", "PF_BAD", "PF_STUB"]) await storeRules(name, rules);
    const secrets = [{ name: "PF_KEY", rules }, { name: "PF_BAD", rules }, { name: "PF_STUB", rules }, { name: "PF_OFF" }, { name: "PF_MISSING" }];

    // No token, no access yet.
    const before = await preflight({ service: "pf-app", secrets });
    expect(before.status).toBe(200);
    expect(before.json.environment).toBe("development");
    expect(byName(before.json.results).PF_KEY).toEqual({ name: "PF_KEY", valueState: "set", access: "none", token: "none", rotation: "ok", rule: "ok", failedRule: null, served: false });

    // A pending token, then approved; access requested for each, granted for some, denied for one.
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: dev, tokenHash: "p".repeat(64), serviceName: "pf-app", serviceVersion: "1", at: new Date() });
    for (const name of ["PF_KEY", "PF_BAD", "PF_STUB", "PF_OFF"]) await ensureAccessRequest(api.kdb.db, { environmentId: dev, secretName: name, serviceName: "pf-app", at: new Date() });
    expect(byName((await preflight({ service: "pf-app", secrets })).json.results).PF_KEY).toMatchObject({ token: "pending", access: "pending", served: false });
    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve`)).status).toBe(200);
    const requests = (await api.call("GET", "/api/access-requests?status=pending")).json.items as { id: string; secretName: string }[];
    for (const r of requests) {
      const decision = r.secretName === "PF_OFF" ? "deny" : "approve";
      expect((await api.call("POST", `/api/access-requests/${r.id}/${decision}`)).status).toBe(200);
    }

    const after = byName((await preflight({ service: "pf-app", environment: "development", secrets }, api.tokens.viewer)).json.results);
    expect(after).toEqual({
      PF_KEY: { name: "PF_KEY", valueState: "set", access: "granted", token: "approved", rotation: "ok", rule: "ok", failedRule: null, served: true },
      PF_BAD: { name: "PF_BAD", valueState: "set", access: "granted", token: "approved", rotation: "ok", rule: "fails", failedRule: "pattern", served: false },
      PF_STUB: { name: "PF_STUB", valueState: "stub", access: "granted", token: "approved", rotation: "none", rule: "unchecked", failedRule: null, served: false },
      PF_OFF: { name: "PF_OFF", valueState: "disabled", access: "denied", token: "approved", rotation: "ok", rule: "unchecked", failedRule: null, served: false },
      PF_MISSING: { name: "PF_MISSING", valueState: "missing", access: "none", token: "approved", rotation: "none", rule: "unchecked", failedRule: null, served: false },
    });
    // Other stored rules: length, enum, format (key order does not matter).
    const failed: (string | null)[] = [];
    for (const stored of [{ maxLength: 5 }, { enum: ["a", "b"] }, { format: "hostname", minLength: 1 }]) {
      await storeRules("PF_KEY", stored);
      const sent = Object.fromEntries(Object.entries(stored).reverse());
      failed.push(((await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: sent }] })).json.results as Result[])[0]!.failedRule);
    }
    expect(failed).toEqual(["maxLength", "enum", "format"]);

    // A catastrophic stored pattern is cut off (unchecked), not left to hold the server.
    const slow = "^(?:[a-z0-9_]+)+\\?$";
    await storeRules("PF_KEY", { pattern: slow });
    const cut = (await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { pattern: slow } }] })).json.results as Result[];
    expect(cut[0]).toMatchObject({ rule: "unchecked", failedRule: null, served: true });
    await storeRules("PF_KEY", rules);
  });

  it("checks a value only against its stored rules: rules of the caller's choosing cannot probe it", async () => {
    // A viewer may not read values; with its own patterns it would learn one character a call.
    const probe = async (pattern: string) => ((await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { pattern } }] }, api.tokens.viewer)).json.results as Result[])[0]!;
    for (const pattern of [`^${GOOD.slice(0, 9)}`, "^x", "^sk_live_[0-9a-f]+$ "]) expect(await probe(pattern)).toMatchObject({ rule: "differs", failedRule: null });
    expect((await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { minLength: 40 } }] })).json.results[0]).toMatchObject({ rule: "differs" });
    // No stored rules: nothing the value may be checked against.
    await api.call("POST", "/api/secrets", { body: { name: "PF_PLAIN", description: "p", value: GOOD } });
    expect((await preflight({ service: "pf-app", secrets: [{ name: "PF_PLAIN", rules: { minLength: 1 } }] })).json.results[0]).toMatchObject({ rule: "differs", failedRule: null });
    // The stored rules themselves are checked (the same answer every time).
    expect(await probe("^sk_live_[0-9a-f]+$")).toMatchObject({ rule: "ok" });
    // One name once per call: no batch of guesses.
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY" }, { name: "PF_KEY", rules: { pattern: "^s" } }] }), 400, "secrets/1/name");
  });

  it("is read-only and writes one audit row per call, as the admin key", async () => {
    const count = async () => (await api.kdb.db.selectFrom("audit_log").select(api.kdb.db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const secretsBefore = await api.kdb.db.selectFrom("secrets").selectAll().execute();
    const rowsBefore = Number(await count());
    expect((await preflight({ service: "audit-app", secrets: [{ name: "PF_KEY", rules: { minLength: 3 } }] })).status).toBe(200);
    expect(Number(await count())).toBe(rowsBefore + 1);
    const row = await api.kdb.db.selectFrom("audit_log").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_type: "admin", action: "secrets.preflight", target: "service:audit-app", result: "ok", reason: "1 secrets, 1 not served", environment: "development" });
    expect(await api.kdb.db.selectFrom("secrets").selectAll().execute()).toEqual(secretsBefore);
    expect(await api.kdb.db.selectFrom("access_requests").selectAll().where("service_name", "=", "audit-app").execute()).toEqual([]);
  });

  it("refuses bad input naming the field, an unknown environment, and roles that cannot read metadata", async () => {
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_BAD" }, { name: "PF_KEY", rules: { pattern: "([" } }] }), 400, "secrets/1/rules");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { format: "no-such-format" } }] }), 400, "secrets/0/rules");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "lower" }] }), 400);
    expectProblem(await preflight({ service: "pf-app", secrets: [] }), 400);
    expectProblem(await preflight({ service: "pf-app", environment: "nowhere", secrets: [{ name: "PF_KEY" }] }), 400, "environment");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY" }] }, api.tokens.auditor), 403);
  });
});
