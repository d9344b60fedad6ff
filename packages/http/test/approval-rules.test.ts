import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAccessRequest, getEnvironmentByName, registerServiceToken } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

type Rule = { id: string; environment: string; kind: string; servicePattern: string; secretPattern: string | null; active: boolean; inactiveReason: string | null; createdBy: string };

// GET/POST /api/environments/{name}/rules, DELETE /api/environments/{name}/rules/{id} (issue #13, approval rules).
describe.each(backends)("approval rules routes on %s", (backend) => {
  let api: Api;
  const rules = async (env: string, token?: string) => (await api.call("GET", `/api/environments/${env}/rules`, token ? { token } : undefined)).json.items as Rule[];
  const create = (env: string, body: unknown, token?: string) => api.call("POST", `/api/environments/${env}/rules`, { body, ...(token ? { token } : {}) });
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => api?.close());

  it("creates, lists and deletes rules, owner/admin only, each change audited in its transaction", async () => {
    const made = await create("development", { kind: "token.approve", servicePattern: "web-*" });
    expect(made.status, made.text).toBe(201);
    expect(made.json).toMatchObject({ environment: "development", kind: "token.approve", servicePattern: "web-*", secretPattern: null, active: true, inactiveReason: null, createdBy: expect.stringMatching(/^admin:/) });
    const grant = await create("development", { kind: "access.grant", servicePattern: "web-?", secretPattern: "DB_*" }, api.tokens.admin);
    expect(grant.status, grant.text).toBe(201);
    expectProblem(await create("development", { kind: "token.reject", servicePattern: "x" }, api.tokens.operator), 403);
    expect((await rules("development", api.tokens.viewer)).map((r) => r.kind)).toEqual(["token.approve", "access.grant"]);
    expect(await rules("staging")).toEqual([]);
    expectProblem(await api.call("DELETE", `/api/environments/development/rules/${made.json.id}`, { token: api.tokens.viewer }), 403);
    expectProblem(await api.call("DELETE", `/api/environments/staging/rules/${made.json.id}`), 404, "id");
    expect((await api.call("DELETE", `/api/environments/development/rules/${made.json.id}`)).status).toBe(204);
    expectProblem(await api.call("DELETE", `/api/environments/development/rules/${made.json.id}`), 404, "id");
    expect((await rules("development")).map((r) => r.id)).toEqual([grant.json.id]);
    const audit = (await api.call("GET", "/api/audit?action=approval_rule.create")).json.items as { target: string; result: string; reason: string; environment: string }[];
    expect(audit.map((r) => [r.target, r.result, r.environment])).toEqual(expect.arrayContaining([[`approval_rule:${made.json.id}`, "ok", "development"]]));
    const deleted = (await api.call("GET", "/api/audit?action=approval_rule.delete")).json.items as { target: string; reason: string }[];
    expect(deleted).toEqual([expect.objectContaining({ target: `approval_rule:${made.json.id}`, reason: "token.approve service web-*" })]);
  });

  it("refuses bad patterns naming the field, unknown environments, and approving kinds in a protected one", async () => {
    expectProblem(await create("development", { kind: "token.approve", servicePattern: "Web-*" }), 400, "servicePattern");
    expectProblem(await create("development", { kind: "token.approve", servicePattern: "web-(a|b)" }), 400, "servicePattern");
    expectProblem(await create("development", { kind: "token.approve", servicePattern: "x".repeat(129) }), 400, "servicePattern");
    expectProblem(await create("development", { kind: "token.approve", servicePattern: "" }), 400, "servicePattern");
    expectProblem(await create("development", { kind: "token.approve", servicePattern: "web", secretPattern: "DB_*" }), 400, "secretPattern");
    expectProblem(await create("development", { kind: "access.grant", servicePattern: "web", secretPattern: "db" }), 400, "secretPattern");
    expectProblem(await create("development", { kind: "token.bless", servicePattern: "web" }), 400, "kind");
    expectProblem(await create("nowhere", { kind: "token.reject", servicePattern: "web" }), 404, "name");
    for (const kind of ["token.approve", "access.grant"]) {
      const refused = await create("production", { kind, servicePattern: "*" });
      expectProblem(refused, 409, "environment");
      expect(refused.json.detail).toContain("protected environments take rules that only narrow: token.reject, access.reject");
    }
    expect((await create("production", { kind: "token.reject", servicePattern: "scratch-*" })).status).toBe(201);
    expect((await create("production", { kind: "access.reject", servicePattern: "*", secretPattern: "ROOT_*" })).status).toBe(201);
    const refusals = (await api.call("GET", "/api/audit?action=approval_rule.create&result=refused")).json.items as { environment: string }[];
    expect(refusals.map((r) => r.environment)).toEqual(["production", "production"]);
  });

  it("shows an approving rule as inactive once its environment is protected", async () => {
    const made = await create("staging", { kind: "token.approve", servicePattern: "web-*" });
    expect(made.json.active).toBe(true);
    expect((await api.call("PATCH", "/api/environments/staging", { body: { protected: true } })).status).toBe(200);
    const listed = await rules("staging");
    expect(listed.find((r) => r.id === made.json.id)).toMatchObject({ active: false, inactiveReason: expect.stringContaining("protected") });
  });

  it("keeps scoped keys to their environments", async () => {
    const key = await api.call("POST", "/api/admin-keys", { body: { name: "dev admin", role: "admin", environments: ["development"] } });
    expect(key.status, key.text).toBe(201);
    const scoped = key.json.token as string;
    expect((await create("development", { kind: "token.reject", servicePattern: "scoped-*" }, scoped)).status).toBe(201);
    expectProblem(await create("production", { kind: "token.reject", servicePattern: "scoped-*" }, scoped), 403, "environment");
    expectProblem(await api.call("GET", "/api/environments/production/rules", { token: scoped }), 403, "environment");
    const prodRule = (await rules("production"))[0]!;
    expectProblem(await api.call("DELETE", `/api/environments/production/rules/${prodRule.id}`, { token: scoped }), 403, "environment");
  });

  it("grants the service's pending requests that an access.grant rule matches when an admin approves its token, audited as the rule", async () => {
    const dev = (await getEnvironmentByName(api.kdb.db, "development"))!.id;
    const grant = (await rules("development")).find((r) => r.kind === "access.grant")!;
    await ensureAccessRequest(api.kdb.db, { environmentId: dev, secretName: "DB_URL", serviceName: "web-1", at: new Date() });
    await ensureAccessRequest(api.kdb.db, { environmentId: dev, secretName: "API_KEY", serviceName: "web-1", at: new Date() });
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: dev, tokenHash: "h".repeat(64), serviceName: "web-1", serviceVersion: "1", at: new Date() });
    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve`)).status).toBe(200);
    const requests = (await api.call("GET", "/api/access-requests?environment=development")).json.items as { secretName: string; status: string }[];
    expect(requests.map((r) => [r.secretName, r.status]).sort()).toEqual([
      ["API_KEY", "pending"],
      ["DB_URL", "granted"],
    ]);
    const granted = (await api.call("GET", "/api/audit?action=access.grant")).json.items as { actorId: string; actorType: string; target: string; reason: string }[];
    expect(granted).toEqual([expect.objectContaining({ actorType: "rule", actorId: `rule:${grant.id}`, target: "access:web-1/DB_URL", reason: expect.stringContaining("DB_*") })]);
    // Every rule and every decision has its row (the requests and token seeded in the db have no registration rows).
    expect((await findUnauditedChanges(api.kdb.db)).filter((c) => c.table === "approval_rules" || c.problem.startsWith("was "))).toEqual([]);
  });
});
