import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openapiDocument, type OperationId } from "@keyward/spec";
import { createSecretStub } from "@keyward/db";
import { isAllowed, permissions, ROLES, routeTable } from "../src/index.js";
import { parseRoleGrant } from "../src/auth/oidc.js";
import { expectProblem, startApi, type Api } from "./harness.js";

/** A request for each operation that passes validation, so only the role decides a 403. */
const samples: Record<OperationId, { query?: string; body?: unknown }> = {
  listSecrets: {},
  listSecretTypes: {},
  createSecret: { body: { name: "ROLE_NEW" } },
  getSecret: {},
  getSecretsMatrix: {},
  updateSecret: { body: { description: "by role test" } },
  deleteSecret: {},
  setSecretValue: { body: { value: "role-test-value" } },
  disableSecret: {},
  enableSecret: {},
  listSecretVersions: {},
  rollbackSecret: { body: { toVersion: 1 } },
  promoteSecret: { body: { from: "development", to: "staging" } },
  testSecretConnection: {},
  setSecretVerification: { body: { everyHours: null } },
  listSigningKeys: {},
  createSigningKey: { body: { name: "ROLE_NEW", algorithm: "hmac-sha256" } },
  rotateSigningKey: {},
  retireSigningKeyVersions: { body: { below: 1 } },
  listMissingSecrets: {},
  runPreflight: { body: { service: "role-app", secrets: [{ name: "ROLE_SECRET" }] } },
  listServiceTokens: { query: "?status=pending" },
  getServiceToken: {},
  approveServiceToken: { body: { expiresAt: "2999-01-01T00:00:00Z" } },
  revokeServiceToken: {},
  listAccessRequests: {},
  approveAccessRequest: {},
  denyAccessRequest: {},
  revokeAccessRequest: {},
  listAudit: {},
  exportAudit: { query: "?format=csv" },
  listAuditArchives: {},
  verifyAudit: {},
  verifyAuditCheckpoint: {
    body: { checkpoint: { version: 1, seq: 0, hash: "0".repeat(64), time: "2026-01-01T00:00:00.000Z", publicKey: "A".repeat(43) + "=", signature: "A".repeat(86) + "==" }, publicKey: "A".repeat(43) + "=" },
  },
  listChangeRequests: {},
  getChangeRequest: {},
  approveChangeRequest: {},
  rejectChangeRequest: {},
  listEnvironments: {},
  createEnvironment: { body: { name: "role-new" } },
  updateEnvironment: { body: { protected: false } },
  deleteEnvironment: {},
  listChannels: {},
  createChannel: { body: { name: "role-channel", kind: "webhook", config: { url: "http://127.0.0.1:9/hook" }, credentials: { signingSecret: "role-test-signing-secret" } } },
  updateChannel: { body: { enabled: false } },
  deleteChannel: {},
  testChannel: {},
  listChannelDeliveries: {},
  listSubscriptions: {},
  createSubscription: { body: { channel: "role-channel" } },
  deleteSubscription: {},
  listJobs: {},
  listApprovalRules: {},
  createApprovalRule: { body: { kind: "token.reject", servicePattern: "role-*" } },
  deleteApprovalRule: {},
  listAdminKeys: {},
  createAdminKey: { body: { name: "made by role test", role: "viewer" } },
  revokeAdminKey: {},
  getCurrentAdmin: {},
  getAuthConfig: {},
  getHealth: {},
  getReadiness: {},
  getMetrics: {},
};

describe("the role matrix", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it("has a row for every operation in the spec, and every route has a sample here", () => {
    const ids = routeTable().map((r) => r.operationId);
    expect(Object.keys(permissions).sort()).toEqual([...ids].sort());
    expect(Object.keys(samples).sort()).toEqual([...ids].sort());
  });

  it("matches the seed's roles: owner everything, auditor logs only, operator rotates, viewer reads", () => {
    const allowedFor = (role: (typeof ROLES)[number]) => routeTable().filter((r) => permissions[r.operationId] !== "public" && isAllowed(r.operationId, role)).map((r) => r.operationId);
    expect(allowedFor("owner")).toHaveLength(routeTable().filter((r) => permissions[r.operationId] !== "public").length);
    expect(allowedFor("auditor").sort()).toEqual(["exportAudit", "getCurrentAdmin", "listAudit", "listAuditArchives", "listEnvironments", "verifyAudit", "verifyAuditCheckpoint"]);
    expect(allowedFor("operator")).toEqual(expect.arrayContaining(["setSecretValue", "rollbackSecret"]));
    expect(allowedFor("operator")).not.toContain("createSecret");
    // Viewers read: lists, gets, and preflight (a read-only POST that reports on metadata).
    for (const op of allowedFor("viewer")) expect(op).toMatch(/^(list|get|runPreflight$)/);
    expect(allowedFor("admin")).not.toContain("createAdminKey");
  });

  it("lets every role call exactly its allowed routes: allowed → not 403, denied → 403 problem+json", async () => {
    let checked = 0;
    for (const role of ROLES) {
      for (const route of routeTable()) {
        // Fresh fixtures for each call, so an earlier delete or disable cannot change the answer.
        await createSecretStub(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "ROLE_SECRET", description: "", requestedBy: "t", at: new Date() });
        await api.kdb.db.deleteFrom("secrets").where("name", "=", "ROLE_NEW").execute();
        const sample = samples[route.operationId];
        const path = route.path.replace("/api/environments/{name}", "/api/environments/staging").replace("{name}", "ROLE_SECRET").replace("{id}", "no-such-id") + (sample.query ?? "");
        const r = await api.call(route.method, path, { token: api.tokens[role], body: sample.body });
        const label = `${role} ${route.operationId} → ${r.status} ${r.text.slice(0, 200)}`;
        if (isAllowed(route.operationId, role)) {
          expect(r.status, label).not.toBe(403);
          expect(r.status, label).toBeLessThan(500);
        } else {
          expectProblem(r, 403, "role");
          expect(r.json.detail, label).toContain(route.operationId);
        }
        checked += 1;
      }
    }
    expect(checked).toBe(ROLES.length * routeTable().length);
    // Each refusal is audited, naming the operation and the role.
    const refused = await api.kdb.db.selectFrom("audit_log").select(["target", "reason"]).where("action", "=", "admin.forbidden").execute();
    expect(refused).toContainEqual({ target: "operation:createAdminKey", reason: "role admin" });
    expect(refused.length).toBe(ROLES.flatMap((role) => routeTable().filter((r) => !isAllowed(r.operationId, role))).length);
  });
});

/** The operations that act in one environment, or read its audit rows (the ?environment= parameter). */
function scopedOperations(): OperationId[] {
  const doc = openapiDocument as unknown as { paths: Record<string, Record<string, { operationId?: string; parameters?: { $ref?: string; name?: string }[] } | { $ref?: string; name?: string }[]>>; components: { parameters: Record<string, { name: string; in: string }> } };
  const named = (p: { $ref?: string; name?: string }) => (p.$ref ? doc.components.parameters[p.$ref.split("/").pop()!]!.name : p.name);
  const ops: OperationId[] = [];
  for (const item of Object.values(doc.paths)) {
    const shared = ((item.parameters ?? []) as { $ref?: string; name?: string }[]).map(named);
    for (const [method, op] of Object.entries(item)) {
      if (method === "parameters" || Array.isArray(op)) continue;
      const names = [...shared, ...(op.parameters ?? []).map(named)];
      if (names.includes("environment")) ops.push(op.operationId as OperationId);
    }
  }
  return ops;
}

describe("environment scopes", () => {
  let api: Api;
  let scoped: string;
  beforeAll(async () => {
    api = await startApi();
    const created = await api.call("POST", "/api/admin-keys", { body: { name: "staging owner", role: "owner", environments: ["staging"], owner: "alice" } });
    expect(created.json.key).toMatchObject({ role: "owner", environments: ["staging"], owner: "alice" });
    scoped = created.json.token;
  });
  afterAll(async () => api?.close());

  it("lets a key scoped to staging act in staging and refuses every environment route elsewhere with 403 naming environment", async () => {
    const ops = scopedOperations();
    expect(ops).toEqual(expect.arrayContaining(["listSecrets", "setSecretValue", "approveServiceToken", "approveAccessRequest", "listMissingSecrets", "listAudit", "exportAudit"]));
    for (const route of routeTable().filter((r) => ops.includes(r.operationId))) {
      const sample = samples[route.operationId];
      for (const env of ["staging", "production"]) {
        await createSecretStub(api.kdb.db, { environmentId: (await api.kdb.db.selectFrom("environments").select("id").where("name", "=", env).executeTakeFirstOrThrow()).id, name: "ROLE_SECRET", description: "", requestedBy: "t", at: new Date() });
        await api.kdb.db.deleteFrom("secrets").where("name", "=", "ROLE_NEW").execute();
        const path = route.path.replace("{name}", "ROLE_SECRET").replace("{id}", "no-such-id") + (sample.query ? `${sample.query}&` : "?") + `environment=${env}`;
        const r = await api.call(route.method, path, { token: scoped, body: sample.body });
        const label = `${route.operationId} in ${env} → ${r.status} ${r.text.slice(0, 200)}`;
        if (env === "staging") expect(r.status, label).not.toBe(403);
        else expectProblem(r, 403, "environment");
      }
    }
    // Stating no environment means the default (development): outside the scope too.
    expectProblem(await api.call("GET", "/api/secrets", { token: scoped }), 403, "environment");
    // An unknown name is a 400 first: a scope says nothing about which names exist.
    expectProblem(await api.call("GET", "/api/secrets?environment=nowhere", { token: scoped }), 400, "environment");
  });

  it("scopes promote, the environments routes, the matrix columns and the keys it may create", async () => {
    expectProblem(await api.call("POST", "/api/secrets/ROLE_SECRET/promote", { token: scoped, body: { from: "staging", to: "production" } }), 403, "environment");
    expectProblem(await api.call("POST", "/api/environments", { token: scoped, body: { name: "scoped-new" } }), 403, "environment");
    expectProblem(await api.call("PATCH", "/api/environments/production", { token: scoped, body: { protected: false } }), 403, "environment");
    expectProblem(await api.call("DELETE", "/api/environments/production?confirm=production", { token: scoped }), 403, "environment");
    expect((await api.call("PATCH", "/api/environments/staging", { token: scoped, body: { protected: true } })).json).toMatchObject({ name: "staging", protected: true });
    expect((await api.call("GET", "/api/secrets/matrix", { token: scoped })).json.environments).toEqual(["staging"]);
    expect((await api.call("GET", "/api/me", { token: scoped })).json).toMatchObject({ role: "owner", environments: ["staging"] });
    expect((await api.call("GET", "/api/me")).json).toMatchObject({ role: "owner", environments: null });
    expectProblem(await api.call("POST", "/api/admin-keys", { token: scoped, body: { name: "wider", role: "viewer" } }), 403, "environment");
    expectProblem(await api.call("POST", "/api/admin-keys", { token: scoped, body: { name: "other", role: "viewer", environments: ["production"] } }), 403, "environment");
    expectProblem(await api.call("POST", "/api/admin-keys", { body: { name: "ghost", role: "viewer", environments: ["nowhere"] } }), 400, "environments");
    expectProblem(await api.call("POST", "/api/admin-keys", { body: { name: "empty", role: "viewer", environments: [] } }), 400, "environments");
    expect((await api.call("POST", "/api/admin-keys", { token: scoped, body: { name: "narrow", role: "viewer", environments: ["staging"] } })).json.key).toMatchObject({ environments: ["staging"], owner: null });
    const listed = (await api.call("GET", "/api/admin-keys")).json.items as { name: string; environments: string[] | null }[];
    expect(listed.filter((k) => k.environments !== null).map((k) => [k.name, k.environments])).toEqual([["staging owner", ["staging"]], ["narrow", ["staging"]]]);
  });

  it("shows a caller scoped to staging the audit rows of staging only: no other environment's, no instance-wide ones", async () => {
    const auditor = (await api.call("POST", "/api/admin-keys", { body: { name: "staging auditor", role: "auditor", environments: ["staging"] } })).json.token as string;
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "AUDIT_SCOPE_S" } }); // staging is protected by now: no value
    await api.call("POST", "/api/secrets?environment=production", { body: { name: "AUDIT_SCOPE_P" } });
    const everything = (await api.call("GET", "/api/audit?limit=500")).json.items as { environment: string | null; target: string }[];
    expect(everything.some((r) => r.environment === null)).toBe(true);
    expect(everything.some((r) => r.environment === "production")).toBe(true);
    const seen = (await api.call("GET", "/api/audit?limit=500", { token: auditor })).json.items as { environment: string | null; target: string }[];
    expect(seen.map((r) => r.target)).toContain("secret:AUDIT_SCOPE_S");
    expect(new Set(seen.map((r) => r.environment))).toEqual(new Set(["staging"]));
    expect(seen).toEqual(everything.filter((r) => r.environment === "staging"));
    const exported = await api.call("GET", "/api/audit/export?format=jsonl", { token: auditor });
    expect(exported.status).toBe(200);
    const lines = exported.text.trim().split("\n").map((l) => JSON.parse(l) as { environment: string | null });
    expect(lines.length).toBe(seen.length);
    expect(lines.every((l) => l.environment === "staging")).toBe(true);
    expectProblem(await api.call("GET", "/api/audit?environment=production", { token: auditor }), 403, "environment");
  });

  it("reads OIDC role mappings scoped to environments", () => {
    expect(parseRoleGrant("admin")).toEqual({ role: "admin" });
    expect(parseRoleGrant("operator@development")).toEqual({ role: "operator", environments: ["development"] });
    expect(parseRoleGrant("viewer@staging+production")).toEqual({ role: "viewer", environments: ["staging", "production"] });
    for (const bad of ["boss", "admin@", "admin@Prod", "viewer@a+", "@staging"]) expect(parseRoleGrant(bad)).toBeUndefined();
    // Without a role map a claim value is not trusted to carry a scope.
    expect(parseRoleGrant("viewer@staging", false)).toBeUndefined();
  });
});
