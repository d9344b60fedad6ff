import { afterEach, describe, expect, it } from "vitest";
import {
  applyRulesToNewRequest,
  applyRulesToNewToken,
  createApprovalRule,
  deleteApprovalRule,
  ensureAccessRequest,
  getEnvironmentByName,
  listApprovalRules,
  registerServiceToken,
  ruleInactiveReason,
  updateEnvironment,
  type KeywardDatabase,
  type NewAuditRow,
} from "../src/index.js";
import { backends } from "./harness.js";

const at = new Date("2026-05-06T07:08:09.000Z");

describe.each(backends)("approval rules on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  const setUp = async () => {
    open = await fresh();
    const db = open.db;
    const dev = (await getEnvironmentByName(db, "development"))!;
    const prod = (await getEnvironmentByName(db, "production"))!;
    return { db, dev, prod };
  };
  const token = (db: KeywardDatabase["db"], environmentId: string, serviceName: string, extra: Partial<{ fingerprint: string; sans: string }> = {}) =>
    registerServiceToken(db, {
      environmentId,
      tokenHash: `${serviceName}-${Math.random()}`,
      serviceName,
      serviceVersion: "1",
      at,
      ...(extra.fingerprint ? { identity: { certificate: { subject: "CN=x", sans: extra.sans ?? "", spiffeId: undefined, fingerprint: extra.fingerprint } } } : {}),
    }).then((r) => r.token);

  it("validates patterns, refuses approving kinds in a protected environment, lists and deletes", async () => {
    const { db, dev, prod } = await setUp();
    const base = { environmentId: dev.id, actor: "admin:1", at };
    expect(await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "Web-*" })).toMatchObject({ kind: "invalid", field: "servicePattern" });
    expect(await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "" })).toMatchObject({ kind: "invalid", field: "servicePattern" });
    expect(await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "w".repeat(129) })).toMatchObject({ kind: "invalid", field: "servicePattern" });
    expect(await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "web-.+" })).toMatchObject({ kind: "invalid", field: "servicePattern" });
    expect(await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "web-*", secretPattern: "A*" })).toMatchObject({ kind: "invalid", field: "secretPattern" });
    expect(await createApprovalRule(db, { ...base, kind: "access.grant", servicePattern: "web-*", secretPattern: "a*" })).toMatchObject({ kind: "invalid", field: "secretPattern" });
    expect(await createApprovalRule(db, { ...base, environmentId: prod.id, kind: "token.approve", servicePattern: "*" })).toEqual({ kind: "protected" });
    expect(await createApprovalRule(db, { ...base, environmentId: prod.id, kind: "access.grant", servicePattern: "*" })).toEqual({ kind: "protected" });
    const reject = await createApprovalRule(db, { ...base, environmentId: prod.id, kind: "token.reject", servicePattern: "scratch-*" });
    expect(reject).toMatchObject({ kind: "ok", rule: { kind: "token.reject", service_pattern: "scratch-*", secret_pattern: null } });
    const grant = await createApprovalRule(db, { ...base, kind: "access.grant", servicePattern: "web-?", secretPattern: "DB_*" });
    expect(grant).toMatchObject({ kind: "ok", rule: { id: expect.stringMatching(/^rule_[0-9a-f]{32}$/), secret_pattern: "DB_*", created_by: "admin:1" } });
    expect((await listApprovalRules(db, { environmentId: dev.id })).map((r) => r.kind)).toEqual(["access.grant"]);
    expect(await deleteApprovalRule(db, { environmentId: prod.id, id: grant.kind === "ok" ? grant.rule.id : "" })).toBeUndefined();
    expect(await deleteApprovalRule(db, { environmentId: dev.id, id: grant.kind === "ok" ? grant.rule.id : "" })).toMatchObject({ kind: "access.grant" });
    expect(await listApprovalRules(db, { environmentId: dev.id })).toEqual([]);
    // The table refuses a secret pattern on a token kind even when written directly.
    await expect(db.insertInto("approval_rules").values({ id: "rule_x", environment_id: dev.id, kind: "token.approve", service_pattern: "*", secret_pattern: "A", created_by: "x", created_at: at }).execute()).rejects.toThrow();
  });

  it("fires on new tokens and requests, grants pending requests on approval, audits as rule:<id>", async () => {
    const { db, dev } = await setUp();
    const base = { environmentId: dev.id, actor: "admin:1", at };
    const approve = await createApprovalRule(db, { ...base, kind: "token.approve", servicePattern: "web-*" });
    const grant = await createApprovalRule(db, { ...base, kind: "access.grant", servicePattern: "web-*", secretPattern: "DB_*" });
    await createApprovalRule(db, { ...base, kind: "access.reject", servicePattern: "*", secretPattern: "ROOT_*" });
    await createApprovalRule(db, { ...base, kind: "token.reject", servicePattern: "web-evil" });
    if (approve.kind !== "ok" || grant.kind !== "ok") throw new Error("setup");
    const rows: NewAuditRow[] = [];
    const audit = (row: NewAuditRow) => void rows.push(row);

    // A pending request of the service from an earlier token is granted when the new token is approved.
    const earlier = await ensureAccessRequest(db, { environmentId: dev.id, secretName: "DB_URL", serviceName: "web-app", at });
    const other = await ensureAccessRequest(db, { environmentId: dev.id, secretName: "STRIPE_KEY", serviceName: "web-app", at });
    const web = await token(db, dev.id, "web-app");
    const fired = await applyRulesToNewToken(db, audit, { token: web, at });
    expect(fired).toMatchObject({ kind: "approved", rule: { id: approve.rule.id }, token: { status: "approved", approved_by: `rule:${approve.rule.id}` }, granted: 1 });
    const after = await db.selectFrom("access_requests").select(["id", "status", "decided_by"]).where("id", "in", [earlier.request.id, other.request.id]).orderBy("secret_name").execute();
    expect(after).toEqual([
      { id: earlier.request.id, status: "granted", decided_by: `rule:${grant.rule.id}` },
      { id: other.request.id, status: "pending", decided_by: null },
    ]);
    expect(rows.map((r) => [r.actor_type, r.actor_id, r.action, r.target, r.result])).toEqual([
      ["rule", `rule:${approve.rule.id}`, "token.approve", `token:${web.id}`, "ok"],
      ["rule", `rule:${grant.rule.id}`, "access.grant", "access:web-app/DB_URL", "ok"],
    ]);
    expect(rows[0]!.reason).toBe(`approval rule ${approve.rule.id} (token.approve service web-*)`);
    expect(rows[1]!.reason).toContain("secret DB_*");

    // A second token of the same name is left for an admin; a reject rule wins over an approve rule.
    rows.length = 0;
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "web-app"), at })).toMatchObject({ kind: "held", concern: expect.stringContaining("other approved token") });
    expect(rows.map((r) => [r.action, r.result])).toEqual([["token.approve", "refused"]]);
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "web-evil"), at })).toMatchObject({ kind: "rejected", token: { status: "revoked" } });
    // A certificate that names another service is left for an admin too; one that names it is not.
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "web-certed", { fingerprint: "AA", sans: "DNS:billing" }), at })).toMatchObject({
      kind: "held",
      concern: expect.stringContaining("certificate"),
    });
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "web-named", { fingerprint: "AB", sans: "DNS:web-named" }), at })).toMatchObject({ kind: "approved" });
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "api"), at })).toEqual({ kind: "none" });

    // New requests: reject wins, grant needs both patterns, nothing matches the rest.
    const req = async (secretName: string, serviceName = "web-app") => (await ensureAccessRequest(db, { environmentId: dev.id, secretName, serviceName, at })).request;
    expect(await applyRulesToNewRequest(db, audit, { request: await req("ROOT_PASSWORD"), at })).toMatchObject({ kind: "denied", request: { status: "denied" } });
    expect(await applyRulesToNewRequest(db, audit, { request: await req("DB_PASSWORD"), at })).toMatchObject({ kind: "granted", request: { status: "granted" } });
    expect(await applyRulesToNewRequest(db, audit, { request: await req("API_KEY"), at })).toEqual({ kind: "none" });
    expect(await applyRulesToNewRequest(db, audit, { request: await req("DB_PASSWORD", "api"), at })).toEqual({ kind: "none" });

    // Protection turned on later: approving rules stop firing (and say why), rejecting ones go on.
    await updateEnvironment(db, { name: "development", protected: true });
    expect(ruleInactiveReason(approve.rule, { protected: true })).toContain("protected");
    expect(ruleInactiveReason({ kind: "token.reject" }, { protected: true })).toBeUndefined();
    expect(await applyRulesToNewToken(db, audit, { token: await token(db, dev.id, "web-late"), at })).toEqual({ kind: "none" });
    expect(await applyRulesToNewRequest(db, audit, { request: await req("DB_OTHER"), at })).toEqual({ kind: "none" });
    expect(await applyRulesToNewRequest(db, audit, { request: await req("ROOT_KEY"), at })).toMatchObject({ kind: "denied" });
  });
});
