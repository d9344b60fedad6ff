// Issue #13, approval rules: an environment's rules decide a new token or access request in the
// transaction that records it, audited as the rule. Over real gRPC, on PGlite and PostgreSQL.
import { status, type Metadata } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { createApprovalRule, createSecret, inAuditedTransaction, setSecretValue, type ApprovalRuleKind } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { TokenStatus, type GetSecretRequest, type GetSecretResponse, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, bothDatabases, environmentId, reasonOf, startTestServer, unary, type TestServer } from "./harness.js";

const DEV_VALUE = "dev-db-url-" + generateToken(SERVICE_TOKEN_PREFIX).slice(-12);

describe.each(bothDatabases)("approval rules over gRPC on %s", (_name, database) => {
  let t: TestServer;
  const tokens: string[] = [];
  beforeAll(async () => {
    t = await startTestServer(await database());
  });
  afterAll(async () => {
    // Neither the value nor a token reaches a log.
    for (const secret of [DEV_VALUE, ...tokens]) expect(t.logs()).not.toContain(secret);
    await t?.close();
  });

  const register = async (serviceName: string, environment: string) => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    tokens.push(token);
    const { res, err } = await unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName, serviceVersion: "1.0.0", environment }, bearer(token));
    expect(err).toBeUndefined();
    const row = await t.kdb.db.selectFrom("service_tokens").select(["id", "status", "approved_by"]).where("service_name", "=", serviceName).orderBy("requested_at", "desc").executeTakeFirstOrThrow();
    return { md: bearer(token), status: res!.status, row };
  };
  const getSecret = (name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);
  /** A rule made as the admin API makes it: with its approval_rule.create row, in one transaction. */
  const addRule = async (environment: string, kind: ApprovalRuleKind, servicePattern: string, secretPattern?: string) =>
    inAuditedTransaction(t.kdb.db, t.auditKey, async (trx, audit) => {
      const r = await createApprovalRule(trx, { environmentId: await environmentId(trx, environment), kind, servicePattern, secretPattern: secretPattern ?? null, actor: "admin:test", at: new Date() });
      if (r.kind !== "ok") throw new Error(`rule refused: ${r.kind}`);
      audit({ at: new Date(), actor_type: "admin", actor_id: "admin:test", action: "approval_rule.create", target: `approval_rule:${r.rule.id}`, result: "ok", reason: null, ip: null, user_agent: null, request_id: null, count: null, environment });
      return r.rule;
    });
  const auditOf = (target: string) => t.kdb.db.selectFrom("audit_log").select(["actor_type", "actor_id", "action", "result", "reason", "environment"]).where("target", "=", target).orderBy("seq").execute();

  it("in development, approves web-* tokens and grants their requests: the client reads the value with no admin step", async () => {
    const approve = await addRule("development", "token.approve", "web-*");
    const grant = await addRule("development", "access.grant", "web-*", "DB_*");
    const dev = await environmentId(t.kdb.db, "development");
    await createSecret(t.kdb.db, { environmentId: dev, name: "DB_URL", actor: "admin", at: new Date() });
    expect(await setSecretValue(t.kdb.db, t.envelope, { environmentId: dev, name: "DB_URL", value: DEV_VALUE, actor: "admin", at: new Date() })).toMatchObject({ kind: "ok" });

    const web = await register("web-shop", "development");
    expect(web.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
    expect(web.row).toMatchObject({ status: "approved", approved_by: `rule:${approve.id}` });
    expect((await getSecret("DB_URL", web.md)).res).toMatchObject({ value: DEV_VALUE, version: 1 });
    // A secret outside the rule's secret pattern waits for an admin, and so does a service outside the service pattern.
    expect(reasonOf((await getSecret("STRIPE_KEY", web.md)).err)).toBe("access_pending");
    const api = await register("api-gateway", "development");
    expect(api.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);

    expect(await auditOf(`token:${web.row.id}`)).toEqual([
      expect.objectContaining({ actor_type: "service", action: "token.register", result: "created" }),
      { actor_type: "rule", actor_id: `rule:${approve.id}`, action: "token.approve", result: "ok", reason: `approval rule ${approve.id} (token.approve service web-*)`, environment: "development" },
    ]);
    expect(await auditOf("access:web-shop/DB_URL")).toEqual([
      expect.objectContaining({ actor_type: "service", action: "access.request", result: "created" }),
      { actor_type: "rule", actor_id: `rule:${grant.id}`, action: "access.grant", result: "ok", reason: `approval rule ${grant.id} (access.grant service web-* secret DB_*)`, environment: "development" },
    ]);
    // No "pending" event for admins about what a rule already decided.
    expect(await t.kdb.db.selectFrom("outbox").select("subject").where("type", "=", "token.pending").execute()).toEqual([{ subject: "api-gateway" }]);
  });

  it("never auto-approves a second token of a service name another approved token holds", async () => {
    const again = await register("web-shop", "development");
    expect(again.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    expect(await auditOf(`token:${again.row.id}`)).toEqual([
      expect.objectContaining({ action: "token.register", result: "created" }),
      expect.objectContaining({ actor_type: "rule", action: "token.approve", result: "refused", reason: expect.stringContaining("left for an admin: 1 other approved token(s) already use service name web-shop") }),
    ]);
  });

  it("in production, never auto-approves even with approving rules inserted directly in the database; a reject rule rejects", async () => {
    const prod = await environmentId(t.kdb.db, "production");
    for (const [id, kind] of [
      ["rule_" + "a".repeat(32), "token.approve"],
      ["rule_" + "b".repeat(32), "access.grant"],
    ] as const) {
      await t.kdb.db.insertInto("approval_rules").values({ id, environment_id: prod, kind, service_pattern: "*", secret_pattern: null, created_by: "intruder", created_at: new Date() }).execute();
    }
    const pending = await register("web-shop", "production");
    expect(pending.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    expect(pending.row).toMatchObject({ status: "pending", approved_by: null });
    expect((await auditOf(`token:${pending.row.id}`)).map((r) => r.action)).toEqual(["token.register"]);

    const reject = await addRule("production", "token.reject", "scratch-*");
    const scratch = await register("scratch-1", "production");
    expect(scratch.status).toBe(TokenStatus.TOKEN_STATUS_REVOKED);
    expect(await auditOf(`token:${scratch.row.id}`)).toEqual([
      expect.objectContaining({ action: "token.register" }),
      expect.objectContaining({ actor_type: "rule", actor_id: `rule:${reject.id}`, action: "token.revoke", result: "ok", environment: "production" }),
    ]);
    // Its calls are refused like any revoked token's.
    const refused = await getSecret("DB_URL", scratch.md);
    expect([refused.err?.code, reasonOf(refused.err)]).toEqual([status.PERMISSION_DENIED, "token_revoked"]);
  });

  it("denies access requests an access.reject rule matches, even for a service a grant rule covers", async () => {
    await addRule("development", "access.reject", "*", "ROOT_*");
    const web = await register("web-admin", "development");
    expect(web.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
    expect(reasonOf((await getSecret("ROOT_PASSWORD", web.md)).err)).toBe("access_denied");
    expect(await auditOf("access:web-admin/ROOT_PASSWORD")).toEqual([
      expect.objectContaining({ action: "access.request" }),
      expect.objectContaining({ actor_type: "rule", action: "access.deny", result: "ok" }),
    ]);
  });

  it("leaves the audit log accounting for every decision; only the rules written behind its back show up", async () => {
    const found = (await findUnauditedChanges(t.kdb.db)).filter((c) => c.table !== "secrets");
    expect(found).toEqual([
      { table: "approval_rules", key: "rule_" + "a".repeat(32), problem: "exists, but no approval_rule.create row" },
      { table: "approval_rules", key: "rule_" + "b".repeat(32), problem: "exists, but no approval_rule.create row" },
    ]);
  });
});
