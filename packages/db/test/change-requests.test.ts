import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import {
  approveChangeRequest,
  createChangeRequest,
  expireChangeRequests,
  getChangeRequest,
  getEnvironmentByName,
  listChangeRequests,
  markChangeRequestApplied,
  openChangeRequestValue,
  rejectChangeRequest,
  subscribeToChanges,
  updateEnvironment,
  type KeywardDatabase,
} from "../src/index.js";
import { eventCollector } from "./events.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-05-06T07:08:09.000Z");
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
const VALUE = "sk_live_change_request_" + randomBytes(8).toString("hex");

describe.each(backends)("change requests on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  const setUp = async () => {
    open = await fresh();
    const db = open.db;
    const prod = (await getEnvironmentByName(db, "production"))!;
    return { db, prod: prod.id, envRow: prod };
  };
  const rawRow = (db: KeywardDatabase["db"], id: string) => db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const setValue = (db: KeywardDatabase["db"], environmentId: string, requestedByOwner: string | null = "alice") =>
    createChangeRequest(db, envelope, {
      environmentId,
      kind: "secret.set_value",
      target: "secret:STRIPE_KEY",
      payload: { name: "STRIPE_KEY" },
      value: VALUE,
      requestedBy: "admin:key_a1",
      requestedByOwner,
      at,
    });

  it("defaults: one approval besides the requester, 24 h; the value is sealed, never in clear, never shown", async () => {
    const { db, prod, envRow } = await setUp();
    expect(envRow).toMatchObject({ approvals_required: 1, change_request_ttl_seconds: 86400 });
    const request = await setValue(db, prod);
    expect(request).toMatchObject({ status: "pending", approvals_required: 1, approvals: [], holdsValue: true, requested_by: "admin:key_a1", requested_by_owner: "alice", kind: "secret.set_value" });
    expect(new Date(request.expires_at).getTime()).toBe(later(86400).getTime());
    expect(JSON.stringify(request)).not.toContain(VALUE);
    expect(Object.keys(request)).not.toContain("ciphertext");
    const row = await rawRow(db, request.id);
    expect(row.ciphertext).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(row.ciphertext!).toString("latin1")).not.toContain(VALUE);
    expect(JSON.stringify(row.payload)).not.toContain(VALUE);
    // Only an approved request opens its value.
    expect(await openChangeRequestValue(db, envelope, request.id)).toBeUndefined();
  });

  it("refuses self-approval by the same key, the same OIDC subject and another key of the same owner; one person counts once", async () => {
    const { db, prod } = await setUp();
    await updateEnvironment(db, { name: "production", approvalsRequired: 2 });
    const request = await setValue(db, prod);
    expect(request.approvals_required).toBe(2);
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_a1", owner: null, at })).toEqual({ kind: "self_approval" });
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_a2", owner: "alice", at })).toEqual({ kind: "self_approval" });
    const oidc = await createChangeRequest(db, undefined, { environmentId: prod, kind: "secret.disable", target: "secret:X", payload: { name: "X" }, requestedBy: "oidc:sub-1", requestedByOwner: null, at });
    expect(await approveChangeRequest(db, { id: oidc.id, actor: "oidc:sub-1", owner: null, at })).toEqual({ kind: "self_approval" });
    const first = await approveChangeRequest(db, { id: request.id, actor: "admin:key_b1", owner: "bob", at });
    expect(first).toMatchObject({ kind: "ok", ready: false, request: { status: "pending" } });
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_b2", owner: "bob", at })).toEqual({ kind: "already_approved" });
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_b1", owner: null, at })).toEqual({ kind: "already_approved" });
    const second = await approveChangeRequest(db, { id: request.id, actor: "admin:key_c1", owner: "carol", at: later(5) });
    expect(second).toMatchObject({ kind: "ok", ready: true, request: { status: "approved", decided_by: "admin:key_c1" } });
    if (second.kind !== "ok") throw new Error("unreachable");
    expect(second.request.approvals.map((a) => a.owner)).toEqual(["bob", "carol"]);
    // Applying opens the value once and destroys the ciphertext with the status change.
    expect(await openChangeRequestValue(db, envelope, request.id)).toBe(VALUE);
    await db.transaction().execute(async (trx) => {
      expect(await markChangeRequestApplied(trx, { id: request.id, at: later(5) })).toMatchObject({ status: "applied", holdsValue: false });
    });
    expect((await rawRow(db, request.id)).ciphertext).toBeNull();
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_d1", owner: "dave", at: later(6) })).toEqual({ kind: "not_pending", status: "applied" });
  });

  it("rejecting destroys the ciphertext in the same update", async () => {
    const { db, prod } = await setUp();
    const request = await setValue(db, prod);
    const rejected = await rejectChangeRequest(db, { id: request.id, actor: "admin:key_b1", at: later(1) });
    expect(rejected).toMatchObject({ kind: "ok", request: { status: "rejected", decided_by: "admin:key_b1", holdsValue: false } });
    const row = await rawRow(db, request.id);
    expect([row.ciphertext, row.wrapped_key, row.key_id]).toEqual([null, null, null]);
    expect(await rejectChangeRequest(db, { id: request.id, actor: "admin:key_b1", at: later(2) })).toEqual({ kind: "not_pending", status: "rejected" });
    expect(await approveChangeRequest(db, { id: request.id, actor: "admin:key_b1", owner: "bob", at: later(2) })).toEqual({ kind: "not_pending", status: "rejected" });
    expect(await rejectChangeRequest(db, { id: "cr_missing", actor: "x", at })).toEqual({ kind: "not_found" });
  });

  it("expired requests cannot be approved; approval, rejection and the sweep mark them expired and destroy the ciphertext", async () => {
    const { db, prod } = await setUp();
    await updateEnvironment(db, { name: "production", changeRequestTtlSeconds: 600 });
    const a = await setValue(db, prod);
    const b = await setValue(db, prod);
    const c = await setValue(db, prod);
    expect(new Date(a.expires_at).getTime()).toBe(later(600).getTime());
    const approved = await approveChangeRequest(db, { id: a.id, actor: "admin:key_b1", owner: "bob", at: later(600) });
    expect(approved).toMatchObject({ kind: "expired", request: { status: "expired", holdsValue: false } });
    expect(await rejectChangeRequest(db, { id: b.id, actor: "admin:key_b1", at: later(601) })).toMatchObject({ kind: "expired" });
    expect(await expireChangeRequests(db, { now: later(599) })).toEqual([]);
    const swept = await expireChangeRequests(db, { now: later(700) });
    expect(swept.map((r) => r.id)).toEqual([c.id]);
    for (const id of [a.id, b.id, c.id]) {
      const row = await rawRow(db, id);
      expect(row.status).toBe("expired");
      expect(row.ciphertext).toBeNull();
    }
    expect(await expireChangeRequests(db, { now: later(800) })).toEqual([]);
  });

  it("announces every change request on the change channel, and writes outbox events for opened and decided ones in their transaction", async () => {
    const { db, prod } = await setUp();
    const seen = eventCollector();
    const subscription = await subscribeToChanges(open!, seen.push);
    try {
      const outbox = () => db.selectFrom("outbox").select(["type", "environment", "subject", "link", "data"]).orderBy("seq").execute();
      const applied = await setValue(db, prod);
      expect(await seen.next((e) => e.kind === "change_request", "opened")).toEqual({
        kind: "change_request", id: applied.id, change: "secret.set_value", target: "secret:STRIPE_KEY", status: "pending",
        approvals: 0, approvalsRequired: 1, environmentId: prod, environment: "production",
      });
      await approveChangeRequest(db, { id: applied.id, actor: "admin:key_b1", owner: "bob", at });
      expect(await seen.next((e) => e.kind === "change_request", "approved")).toMatchObject({ id: applied.id, status: "approved", approvals: 1 });
      await db.transaction().execute((trx) => markChangeRequestApplied(trx, { id: applied.id, at }));
      expect(await seen.next((e) => e.kind === "change_request", "applied")).toMatchObject({ id: applied.id, status: "applied" });
      const rejected = await setValue(db, prod);
      await rejectChangeRequest(db, { id: rejected.id, actor: "admin:key_b1", at });
      const expired = await setValue(db, prod);
      await expireChangeRequests(db, { now: later(86_400) });
      expect(await outbox()).toEqual([
        ...[applied, rejected, expired].flatMap((r, i) => [
          {
            type: "change_request.created", environment: "production", subject: "secret.set_value secret:STRIPE_KEY", link: "/admin/change-requests?environment=production",
            data: { changeRequestId: r.id, kind: "secret.set_value", target: "secret:STRIPE_KEY", requestedBy: "admin:key_a1", approvals: 0, approvalsRequired: 1 },
          },
          { type: `change_request.${["applied", "rejected", "expired"][i]}`, environment: "production", subject: "secret.set_value secret:STRIPE_KEY", link: "/admin/change-requests?environment=production", data: expect.objectContaining({ changeRequestId: r.id, approvals: i === 0 ? 1 : 0 }) },
        ]),
      ]);
      expect(JSON.stringify([await outbox(), seen.events])).not.toContain(VALUE);
      // A change request that rolls back writes no event: the outbox row is in its transaction.
      const rolledBack = db.transaction().execute(async (trx) => {
        await setValue(trx, prod);
        throw new Error("roll back");
      });
      await expect(rolledBack).rejects.toThrow("roll back");
      expect(await outbox()).toHaveLength(6);
    } finally {
      await subscription.close();
    }
  });

  it("lists by environment and status, newest first, page by page", async () => {
    const { db, prod } = await setUp();
    const dev = (await getEnvironmentByName(db, "development"))!.id;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createChangeRequest(db, undefined, { environmentId: prod, kind: "secret.disable", target: `secret:S${i}`, payload: { name: `S${i}` }, requestedBy: "admin:key_a1", requestedByOwner: null, at: later(i) })).id);
    }
    await createChangeRequest(db, undefined, { environmentId: dev, kind: "token.approve", target: "token:t", payload: {}, requestedBy: "admin:key_a1", requestedByOwner: null, at });
    await rejectChangeRequest(db, { id: ids[0]!, actor: "admin:key_b1", at: later(10) });
    const first = await listChangeRequests(db, { environmentId: prod, limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const second = await listChangeRequests(db, { environmentId: prod, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    expect((await listChangeRequests(db, { environmentId: prod, status: "pending", limit: 10 })).items).toHaveLength(2);
    expect((await listChangeRequests(db, { limit: 10 })).items).toHaveLength(4);
    expect(await getChangeRequest(db, ids[0]!)).toMatchObject({ status: "rejected" });
    expect(await getChangeRequest(db, "cr_none")).toBeUndefined();
  });

  it("refuses a set-value without a value and a value on another kind", async () => {
    const { db, prod } = await setUp();
    await expect(createChangeRequest(db, envelope, { environmentId: prod, kind: "secret.set_value", target: "secret:X", payload: {}, requestedBy: "a", requestedByOwner: null, at })).rejects.toThrow(/needs a value/);
    await expect(createChangeRequest(db, envelope, { environmentId: prod, kind: "secret.disable", target: "secret:X", payload: {}, value: "v", requestedBy: "a", requestedByOwner: null, at })).rejects.toThrow(/needs a value/);
    await expect(updateEnvironment(db, { name: "production", approvalsRequired: 0 })).rejects.toThrow(/approvalsRequired/);
  });
});
