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
    // Other rules: length, enum.
    const more = (await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { maxLength: 5 } }, { name: "PF_KEY", rules: { enum: ["a", "b"] } }, { name: "PF_KEY", rules: { minLength: 1, format: "hostname" } }] })).json.results as Result[];
    expect(more.map((r) => r.failedRule)).toEqual(["maxLength", "enum", "format"]);

    // A catastrophic pattern from the caller is cut off (unchecked), not left to hold the server.
    const slow = "^(?:[a-z0-9_]+)+\\?$";
    const cut = (await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { pattern: slow } }] })).json.results as Result[];
    expect(cut[0]).toMatchObject({ rule: "unchecked", failedRule: null, served: true });
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
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY" }, { name: "PF_KEY", rules: { pattern: "([" } }] }), 400, "secrets/1/rules");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY", rules: { format: "no-such-format" } }] }), 400, "secrets/0/rules");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "lower" }] }), 400);
    expectProblem(await preflight({ service: "pf-app", secrets: [] }), 400);
    expectProblem(await preflight({ service: "pf-app", environment: "nowhere", secrets: [{ name: "PF_KEY" }] }), 400, "environment");
    expectProblem(await preflight({ service: "pf-app", secrets: [{ name: "PF_KEY" }] }, api.tokens.auditor), 403);
  });
});
