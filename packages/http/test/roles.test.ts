import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationId } from "@keyward/spec";
import { createSecretStub } from "@keyward/db";
import { isAllowed, permissions, ROLES, routeTable } from "../src/index.js";
import { expectProblem, startApi, type Api } from "./harness.js";

/** A request for each operation that passes validation, so only the role decides a 403. */
const samples: Record<OperationId, { query?: string; body?: unknown }> = {
  listSecrets: {},
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
  listMissingSecrets: {},
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
  verifyAudit: {},
  verifyAuditCheckpoint: {
    body: { checkpoint: { version: 1, seq: 0, hash: "0".repeat(64), time: "2026-01-01T00:00:00.000Z", publicKey: "A".repeat(43) + "=", signature: "A".repeat(86) + "==" }, publicKey: "A".repeat(43) + "=" },
  },
  listEnvironments: {},
  createEnvironment: { body: { name: "role-new" } },
  updateEnvironment: { body: { protected: false } },
  deleteEnvironment: {},
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
    expect(allowedFor("auditor").sort()).toEqual(["exportAudit", "getCurrentAdmin", "listAudit", "listEnvironments", "verifyAudit", "verifyAuditCheckpoint"]);
    expect(allowedFor("operator")).toEqual(expect.arrayContaining(["setSecretValue", "rollbackSecret"]));
    expect(allowedFor("operator")).not.toContain("createSecret");
    for (const op of allowedFor("viewer")) expect(op).toMatch(/^(list|get)/);
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
