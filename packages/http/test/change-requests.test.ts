import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, type Clock } from "@keyward/common";
import { ensureAccessRequest, getEnvironmentByName, readSecretValue, registerServiceToken } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const OLD = "prod_old_" + randomBytes(12).toString("hex");
const NEW = "prod_new_" + randomBytes(12).toString("hex");
const STAGED = "staged_" + randomBytes(12).toString("hex");
const REJECTED = "rejected_" + randomBytes(12).toString("hex");
const LATE = "late_" + randomBytes(12).toString("hex");

function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

// Issue #13: in a protected environment (production on a fresh instance) one admin alone cannot
// change anything by any route: each change is a change request another person must approve.
describe.each(backends)("change requests in a protected environment on %s", (backend) => {
  let api: Api;
  const clock = manualClock(new Date("2026-06-01T12:00:00.000Z"));
  const keys: Record<"alice1" | "alice2" | "bob" | "carol", string> = { alice1: "", alice2: "", bob: "", carol: "" };
  let prodId = "";
  const read = (name: string) => readSecretValue(api.kdb.db, api.envelope, { environmentId: prodId, name });
  const as = (who: keyof typeof keys) => ({ token: keys[who] });
  const row = (id: string) => api.kdb.db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const approve = (id: string, who: keyof typeof keys) => api.call("POST", `/api/change-requests/${id}/approve`, as(who));

  beforeAll(async () => {
    api = await startApi({ backend, clock });
    prodId = (await getEnvironmentByName(api.kdb.db, "production"))!.id;
    for (const [name, owner] of [["alice1", "alice"], ["alice2", "alice"], ["bob", "bob"], ["carol", "carol"]] as const) {
      const created = await api.call("POST", "/api/admin-keys", { body: { name, role: "admin", owner } });
      keys[name] = created.json.token;
    }
    // Seed production while unprotected, then protect it.
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "production").execute();
    await api.call("POST", "/api/secrets?environment=production", { body: { name: "STRIPE_KEY", value: OLD } });
    await api.call("PUT", "/api/secrets/STRIPE_KEY/value?environment=production", { body: { value: OLD + "2" } });
    await api.call("PATCH", "/api/environments/production", { body: { protected: true } });
    expect((await getEnvironmentByName(api.kdb.db, "production"))!.protected).toBe(true);
  });
  afterAll(async () => {
    // No value ever reached a response, a problem or a log line.
    for (const v of [OLD, NEW, STAGED, REJECTED, LATE]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("holds a set-value for approval; the requester, another key of the same owner and one person twice cannot approve it", async () => {
    const held = await api.call("PUT", "/api/secrets/STRIPE_KEY/value?environment=production", { ...as("alice1"), body: { value: NEW } });
    expect(held.status, held.text).toBe(202);
    expect(held.json).toMatchObject({ kind: "secret.set_value", target: "secret:STRIPE_KEY", status: "pending", environment: "production", requestedBy: expect.stringMatching(/^admin:/), requestedByOwner: "alice", holdsValue: true, approvalsRequired: 1 });
    const id = held.json.id as string;
    expect(await read("STRIPE_KEY")).toMatchObject({ value: OLD + "2", version: 2 });
    expect(Buffer.from((await row(id)).ciphertext!).toString("latin1")).not.toContain(NEW);

    expectProblem(await approve(id, "alice1"), 403, "id");
    expectProblem(await approve(id, "alice2"), 403, "id");
    expect(await read("STRIPE_KEY")).toMatchObject({ version: 2 });
    const applied = await approve(id, "bob");
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json).toMatchObject({ status: "applied", holdsValue: false, approvals: [{ owner: "bob" }] });
    expect(await read("STRIPE_KEY")).toMatchObject({ value: NEW, version: 3 });
    expect((await row(id)).ciphertext).toBeNull();
    expectProblem(await approve(id, "carol"), 409, "id");

    const audit = (await api.call("GET", `/api/audit?environment=production&limit=20`)).json.items as { action: string; result: string; reason: string | null }[];
    const actions = audit.map((r) => `${r.action}:${r.result}`).reverse();
    expect(actions).toEqual(expect.arrayContaining(["change_request.create:ok", "change_request.approve:refused", "change_request.approve:ok", "secret.value.set:ok", "change_request.apply:ok"]));
    expect((await api.call("GET", `/api/change-requests/${id}`)).json).toMatchObject({ id, status: "applied" });
    expect((await api.call("GET", "/api/change-requests?environment=production&status=applied")).json.items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it("holds rollback, disable, token approval (also after a revoke), access grant and a promotion into production", async () => {
    const rollback = await api.call("POST", "/api/secrets/STRIPE_KEY/rollback?environment=production", { ...as("alice1"), body: { toVersion: 1 } });
    expect(rollback.status, rollback.text).toBe(202);
    const disable = await api.call("POST", "/api/secrets/STRIPE_KEY/disable?environment=production", as("alice1"));
    expect(disable.status, disable.text).toBe(202);
    expect(await read("STRIPE_KEY")).toMatchObject({ kind: "ok", value: NEW, version: 3 });

    const { token } = await registerServiceToken(api.kdb.db, { environmentId: prodId, tokenHash: hashToken("kws_" + randomBytes(16).toString("hex")), serviceName: "billing", serviceVersion: "1.0.0", at: clock.now() });
    const held = await api.call("POST", `/api/service-tokens/${token.id}/approve?environment=production`, as("alice1"));
    expect(held.status, held.text).toBe(202);
    const status = async () => (await api.kdb.db.selectFrom("service_tokens").select("status").where("id", "=", token.id).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe("pending");
    expect((await approve(held.json.id, "bob")).json).toMatchObject({ status: "applied" });
    expect(await status()).toBe("approved");
    // Revoking takes access away (no approval needed); approving it again is a change request again.
    expect((await api.call("POST", `/api/service-tokens/${token.id}/revoke?environment=production`, as("alice1"))).status).toBe(200);
    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve?environment=production`, as("alice1"))).status).toBe(202);
    expect(await status()).toBe("revoked");

    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId: prodId, secretName: "STRIPE_KEY", serviceName: "billing", at: clock.now() });
    const grant = await api.call("POST", `/api/access-requests/${request.id}/approve?environment=production`, as("alice1"));
    expect(grant.status, grant.text).toBe(202);
    const grantStatus = async () => (await api.kdb.db.selectFrom("access_requests").select("status").where("id", "=", request.id).executeTakeFirstOrThrow()).status;
    expect(await grantStatus()).toBe("pending");
    expect((await approve(grant.json.id, "carol")).json).toMatchObject({ status: "applied" });
    expect(await grantStatus()).toBe("granted");
    expect((await api.call("POST", `/api/access-requests/${request.id}/revoke?environment=production`, as("alice1"))).status).toBe(200);
    expect((await api.call("POST", `/api/access-requests/${request.id}/approve?environment=production`, as("alice1"))).status).toBe(202);
    expect(await grantStatus()).toBe("revoked");

    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "STRIPE_KEY", value: STAGED } });
    const promote = await api.call("POST", "/api/secrets/STRIPE_KEY/promote", { ...as("alice1"), body: { from: "staging", to: "production" } });
    expect(promote.status, promote.text).toBe(202);
    expect(promote.json).toMatchObject({ kind: "secret.set_value", payload: { name: "STRIPE_KEY", promotedFrom: "staging", fromVersion: 1 }, holdsValue: true });
    expect(await read("STRIPE_KEY")).toMatchObject({ value: NEW, version: 3 });

    // The rollback applies once bob approves it.
    expect((await approve(rollback.json.id, "bob")).json).toMatchObject({ status: "applied" });
    expect(await read("STRIPE_KEY")).toMatchObject({ value: OLD, version: 4 });
  });

  it("rejecting destroys the held ciphertext; an expired request cannot be approved and its value is gone", async () => {
    const held = await api.call("PUT", "/api/secrets/STRIPE_KEY/value?environment=production", { ...as("alice1"), body: { value: REJECTED } });
    expect((await row(held.json.id)).ciphertext).not.toBeNull();
    expect((await api.call("POST", `/api/change-requests/${held.json.id}/reject`, as("bob"))).json).toMatchObject({ status: "rejected", holdsValue: false });
    expect(await row(held.json.id)).toMatchObject({ status: "rejected", ciphertext: null, wrapped_key: null, key_id: null });
    expectProblem(await approve(held.json.id, "carol"), 409, "id");

    const late = await api.call("PUT", "/api/secrets/STRIPE_KEY/value?environment=production", { ...as("alice1"), body: { value: LATE } });
    clock.advance(24 * 3600 * 1000);
    expectProblem(await approve(late.json.id, "bob"), 409, "id");
    expect(await row(late.json.id)).toMatchObject({ status: "expired", ciphertext: null });
    expect(await read("STRIPE_KEY")).toMatchObject({ value: OLD, version: 4 });
    expect((await api.call("GET", "/api/change-requests?environment=production&status=expired")).json.items.map((r: { id: string }) => r.id)).toContain(late.json.id);
    expectProblem(await api.call("GET", "/api/change-requests/cr_00000000000000000000000000000000"), 404, "id");
    expectProblem(await api.call("GET", "/api/change-requests?environment=nowhere"), 400, "environment");
  });

  it("refuses a first value on create in a protected environment (it would bypass approval)", async () => {
    expectProblem(await api.call("POST", "/api/secrets?environment=production", { ...as("alice1"), body: { name: "NEW_ONE", value: "direct" } }), 409, "value");
    expect(await read("NEW_ONE")).toEqual({ kind: "not_found" });
    expect((await api.call("POST", "/api/secrets?environment=production", { ...as("alice1"), body: { name: "NEW_ONE" } })).status).toBe(201);
    expect((await api.call("PUT", "/api/secrets/NEW_ONE/value?environment=production", { ...as("alice1"), body: { value: "direct" } })).status).toBe(202);
    expect(await read("NEW_ONE")).toMatchObject({ kind: "no_value" });
  });

  it("a held promotion applies as a promotion (also into a row production did not have), and the audit log explains every row it made", async () => {
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "ONLY_STAGED", value: STAGED } });
    for (const name of ["STRIPE_KEY", "ONLY_STAGED"]) {
      const held = await api.call("POST", `/api/secrets/${name}/promote`, { ...as("alice1"), body: { from: "staging", to: "production" } });
      expect(held.status, held.text).toBe(202);
      expect((await approve(held.json.id, "bob")).json).toMatchObject({ status: "applied" });
      expect(await read(name)).toMatchObject({ kind: "ok", value: STAGED });
    }
    const rows = (await api.call("GET", "/api/audit?action=secret.promote&environment=production")).json.items;
    expect(rows.map((r: { target: string; reason: string }) => [r.target, r.reason.replace(/cr_[0-9a-f]+/, "cr")]).sort()).toEqual([
      ["secret:ONLY_STAGED", "change request cr, from staging version 1 to production version 1"],
      ["secret:STRIPE_KEY", "change request cr, from staging version 1 to production version 5"],
    ]);
    // Rows the harness and this suite made straight in the database (its keys, a token, an access request) are the only ones unexplained.
    const unexplained = (await findUnauditedChanges(api.kdb.db)).filter((f) => !(["admin_api_keys", "service_tokens", "access_requests"].includes(f.table) && f.problem.startsWith("exists")));
    expect(unexplained, JSON.stringify(unexplained)).toEqual([]);
  });

  it("turning protection off is itself a change request (last, since it unprotects production)", async () => {
    expectProblem(await api.call("PATCH", "/api/environments/production", { ...as("alice1"), body: { protected: false, name: "prod" } }), 400, "protected");
    const held = await api.call("PATCH", "/api/environments/production", { ...as("alice1"), body: { protected: false } });
    expect(held.status, held.text).toBe(202);
    expect(held.json).toMatchObject({ kind: "environment.update", status: "pending", payload: { name: "production", patch: { protected: false } } });
    expect((await getEnvironmentByName(api.kdb.db, "production"))!.protected).toBe(true);
    expectProblem(await approve(held.json.id, "alice2"), 403, "id");
    expect((await approve(held.json.id, "carol")).json).toMatchObject({ status: "applied" });
    expect((await getEnvironmentByName(api.kdb.db, "production"))!.protected).toBe(false);
  });

  it("in an unprotected environment nothing changes: set-value applies at once", async () => {
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "PLAIN" } });
    const set = await api.call("PUT", "/api/secrets/PLAIN/value?environment=staging", { ...as("alice1"), body: { value: "x" } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ name: "PLAIN", version: 1, environment: "staging" });
  });
});
