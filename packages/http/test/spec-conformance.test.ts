import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { ensureAccessRequest, registerServiceToken } from "@keyward/db";
import type { OperationId } from "@keyward/spec";
import { createSpecValidator, routeTable } from "../src/index.js";
import { startApi, type Api } from "./harness.js";

const validator = createSpecValidator();

describe.each(["pglite", "postgres"] as const)("every operation's success response matches the spec on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    // A stand-in tester (the real ones are tested against local provider servers in credential-tests).
    api = await startApi({ backend, credentialTester: { has: (type) => type === "api-key", test: async () => ({ status: "connected" }) } });
  });
  afterAll(async () => api?.close());

  it("calls each operation once with inputs that succeed and validates the body against its schema", async () => {
    const at = new Date();
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken("kws_conformance"), serviceName: "svc", serviceVersion: "1", at });
    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "CONF_SECRET", serviceName: "svc", at });
    const { request: other } = await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "CONF_MISSING", serviceName: "svc", at });
    let adminKeyId = "";

    // In order: later calls rely on earlier ones (create before set value, value before rollback).
    const calls: [OperationId, string, string, unknown?][] = [
      ["getHealth", "GET", "/healthz"],
      ["getReadiness", "GET", "/readyz"],
      ["getCurrentAdmin", "GET", "/api/me"],
      ["getAuthConfig", "GET", "/api/auth/config"],
      ["createSecret", "POST", "/api/secrets", { name: "CONF_SECRET", description: "conformance", type: "api-key", rotationDays: 30 }],
      ["setSecretValue", "PUT", "/api/secrets/CONF_SECRET/value", { value: "conformance-1" }],
      ["updateSecret", "PATCH", "/api/secrets/CONF_SECRET", { description: "changed" }],
      ["getSecret", "GET", "/api/secrets/CONF_SECRET"],
      ["listSecrets", "GET", "/api/secrets?limit=1"],
      ["listSecretTypes", "GET", "/api/secret-types"],
      ["listSecretVersions", "GET", "/api/secrets/CONF_SECRET/versions"],
      ["rollbackSecret", "POST", "/api/secrets/CONF_SECRET/rollback", { toVersion: 1 }],
      ["promoteSecret", "POST", "/api/secrets/CONF_SECRET/promote", { from: "development", to: "staging" }],
      ["createSigningKey", "POST", "/api/signing-keys", { name: "CONF_SIGNING", algorithm: "ed25519", description: "conformance" }],
      ["rotateSigningKey", "POST", "/api/signing-keys/CONF_SIGNING/rotate"],
      ["retireSigningKeyVersions", "POST", "/api/signing-keys/CONF_SIGNING/retire", { below: 2 }],
      ["listSigningKeys", "GET", "/api/signing-keys"],
      ["disableSecret", "POST", "/api/secrets/CONF_SECRET/disable"],
      ["enableSecret", "POST", "/api/secrets/CONF_SECRET/enable"],
      ["testSecretConnection", "POST", "/api/secrets/CONF_SECRET/test-connection"],
      ["setSecretVerification", "PUT", "/api/secrets/CONF_SECRET/verification", { everyHours: 24 }],
      ["createSecret", "POST", "/api/secrets", { name: "CONF_MISSING" }],
      ["listMissingSecrets", "GET", "/api/missing-secrets"],
      ["runPreflight", "POST", "/api/preflight", { service: "conformance", secrets: [{ name: "CONF_SECRET", rules: { minLength: 1 } }, { name: "CONF_MISSING" }] }],
      ["deleteSecret", "DELETE", "/api/secrets/CONF_MISSING"],
      ["listServiceTokens", "GET", "/api/service-tokens"],
      ["getServiceToken", "GET", `/api/service-tokens/${token.id}`],
      ["approveServiceToken", "POST", `/api/service-tokens/${token.id}/approve`, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() }],
      ["approveServiceToken", "POST", `/api/service-tokens/${token.id}/approve`],
      ["revokeServiceToken", "POST", `/api/service-tokens/${token.id}/revoke`],
      ["listAccessRequests", "GET", "/api/access-requests"],
      ["approveAccessRequest", "POST", `/api/access-requests/${request.id}/approve`],
      ["revokeAccessRequest", "POST", `/api/access-requests/${request.id}/revoke`],
      ["denyAccessRequest", "POST", `/api/access-requests/${other.id}/deny`],
      ["listAudit", "GET", "/api/audit?limit=5"],
      ["exportAudit", "GET", "/api/audit/export?format=jsonl"],
      ["listAuditArchives", "GET", "/api/audit/archives"],
      ["verifyAudit", "GET", "/api/audit/verify"],
      ["verifyAuditCheckpoint", "POST", "/api/audit/verify", { checkpoint: { version: 1, seq: 0, hash: "0".repeat(64), time: new Date().toISOString(), publicKey: "A".repeat(43) + "=", signature: "A".repeat(86) + "==" }, publicKey: "A".repeat(43) + "=" }],
      ["createAdminKey", "POST", "/api/admin-keys", { name: "conformance", role: "auditor" }],
      ["listAdminKeys", "GET", "/api/admin-keys"],
      ["revokeAdminKey", "POST", "/api/admin-keys/{id}/revoke"],
      ["getSecretsMatrix", "GET", "/api/secrets/matrix?q=CONF"],
      ["listEnvironments", "GET", "/api/environments"],
      ["createEnvironment", "POST", "/api/environments", { name: "conformance", protected: false }],
      ["updateEnvironment", "PATCH", "/api/environments/conformance", { name: "conformance-2", protected: true }],
      ["deleteEnvironment", "DELETE", "/api/environments/conformance-2"],
      ["createChannel", "POST", "/api/channels", { name: "conf-hook", kind: "webhook", config: { url: "http://127.0.0.1:9/hook" }, credentials: { signingSecret: "conformance-signing-secret" } }],
      ["listChannels", "GET", "/api/channels"],
      ["updateChannel", "PATCH", "/api/channels/conf-hook", { enabled: false }],
      ["testChannel", "POST", "/api/channels/conf-hook/test"],
      ["listChannelDeliveries", "GET", "/api/channels/conf-hook/deliveries"],
      ["createSubscription", "POST", "/api/subscriptions", { channel: "conf-hook", eventTypes: ["token.pending"], environments: ["production"] }],
      ["listSubscriptions", "GET", "/api/subscriptions"],
      ["deleteSubscription", "DELETE", "/api/subscriptions/{sub}"],
      ["deleteChannel", "DELETE", "/api/channels/conf-hook"],
      ["listJobs", "GET", "/api/jobs"],
      ["getMetrics", "GET", "/metrics"],
    ];
    let subscriptionId = "";
    const covered = new Set<OperationId>();
    for (const [operationId, method, rawPath, body] of calls) {
      const path = rawPath.replace("{id}", adminKeyId).replace("{sub}", subscriptionId);
      const r = await api.call(method, path, { body });
      expect(r.status, `${operationId}: ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(r.status, `${operationId}: ${r.text.slice(0, 300)}`).toBeLessThan(300);
      // The harness validated it already; validate again here so this test stands on its own.
      expect(validator.response(operationId, r.status, r.type, r.json ?? (r.text === "" ? undefined : r.text))).toBeUndefined();
      if (operationId === "createAdminKey") adminKeyId = r.json.key.id;
      if (operationId === "createSubscription") subscriptionId = r.json.id;
      covered.add(operationId);
    }
    // Approval rules: create, list and delete one in development.
    const rule = await api.call("POST", "/api/environments/development/rules", { body: { kind: "access.grant", servicePattern: "conf-*", secretPattern: "CONF_*" } });
    const listed = await api.call("GET", "/api/environments/development/rules");
    const deleted = await api.call("DELETE", `/api/environments/development/rules/${rule.json?.id}`);
    for (const [operationId, r, expected] of [
      ["createApprovalRule", rule, 201],
      ["listApprovalRules", listed, 200],
      ["deleteApprovalRule", deleted, 204],
    ] as const) {
      expect(r.status, `${operationId}: ${r.text.slice(0, 300)}`).toBe(expected);
      expect(validator.response(operationId, r.status, r.type, r.json ?? (r.text === "" ? undefined : r.text))).toBeUndefined();
      covered.add(operationId);
    }
    // Change requests: a token approval in production (protected) is held (202); another key approves one, rejects another.
    const production = (await api.kdb.db.selectFrom("environments").select("id").where("name", "=", "production").executeTakeFirstOrThrow()).id;
    const held: string[] = [];
    for (const n of [1, 2]) {
      const { token: t } = await registerServiceToken(api.kdb.db, { environmentId: production, tokenHash: hashToken(`kws_conformance_prod_${n}`), serviceName: "svc", serviceVersion: "1", at });
      const r = await api.call("POST", `/api/service-tokens/${t.id}/approve?environment=production`);
      expect(r.status, r.text).toBe(202);
      expect(validator.response("approveServiceToken", r.status, r.type, r.json)).toBeUndefined();
      held.push(r.json.id);
    }
    for (const [operationId, method, path] of [
      ["listChangeRequests", "GET", "/api/change-requests?environment=production&status=pending"],
      ["getChangeRequest", "GET", `/api/change-requests/${held[0]}`],
      ["approveChangeRequest", "POST", `/api/change-requests/${held[0]}/approve`],
      ["rejectChangeRequest", "POST", `/api/change-requests/${held[1]}/reject`],
    ] as const) {
      const r = await api.call(method, path, { token: api.tokens.admin });
      expect(r.status, `${operationId}: ${r.text.slice(0, 300)}`).toBe(200);
      expect(validator.response(operationId, r.status, r.type, r.json)).toBeUndefined();
      covered.add(operationId);
    }
    expect([...covered].sort()).toEqual(routeTable().map((r) => r.operationId).sort());
  });

  it("has validators that catch a response off the spec", () => {
    expect(validator.response("getSecret", 200, "application/json", { name: "X" })).toMatch(/required/);
    expect(validator.response("getSecret", 200, "application/json", { name: "X", value: "leak" })).toBeDefined();
    expect(validator.response("getSecret", 200, "text/plain", "x")).toMatch(/content type/);
    expect(validator.response("deleteSecret", 204, null, "body")).toMatch(/no body/);
    expect(validator.response("getSecret", 500, "application/problem+json", { type: "about:blank", title: "x", status: 500 })).toBeUndefined();
  });
});
