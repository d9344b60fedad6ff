import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { countPendingChangeRequests, createChangeRequest, getEnvironmentByName, updateEnvironment, type KeywardDatabase } from "../src/index.js";
import { backends } from "./harness.js";

const at = new Date("2026-05-06T07:08:09.000Z");

// Migration 0510: the new kinds are accepted, anything else is still refused by the check; the
// pending count ignores decided and overdue requests.
describe.each(backends)("change request kinds and the pending count on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("accepts secret.delete, environment.delete, environment.update and the older environment.unprotect; refuses an unknown kind", async () => {
    open = await fresh();
    const db = open.db;
    const prod = (await getEnvironmentByName(db, "production"))!;
    for (const kind of ["secret.delete", "environment.delete", "environment.update", "environment.unprotect"] as const) {
      await createChangeRequest(db, undefined, { environmentId: prod.id, kind, target: "x", payload: {}, requestedBy: "admin:a", requestedByOwner: null, at });
    }
    await expect(sql`insert into change_requests (id, environment_id, kind, target, requested_by, approvals_required, created_at, expires_at) values ('cr_bad', ${prod.id}, 'secret.explode', 'x', 'a', 1, now(), now())`.execute(db)).rejects.toThrow(/change_requests_kind_check/);
    expect(await countPendingChangeRequests(db, { environmentId: prod.id, at })).toBe(4);
    await db.updateTable("change_requests").set({ status: "rejected" }).where("kind", "=", "secret.delete").execute();
    expect(await countPendingChangeRequests(db, { environmentId: prod.id, at })).toBe(3);
    expect(await countPendingChangeRequests(db, { environmentId: prod.id, at: new Date(at.getTime() + 86_400_000) })).toBe(0);
    const staging = (await getEnvironmentByName(db, "staging"))!;
    expect(await countPendingChangeRequests(db, { environmentId: staging.id, at })).toBe(0);
  });

  it("bounds the lifetime at 300 s to 30 days", async () => {
    open = await fresh();
    await expect(updateEnvironment(open.db, { name: "production", changeRequestTtlSeconds: 299 })).rejects.toThrow(/changeRequestTtlSeconds must be a whole number from 300/);
    expect(await updateEnvironment(open.db, { name: "production", changeRequestTtlSeconds: 300 })).toMatchObject({ kind: "ok", environment: { change_request_ttl_seconds: 300 } });
  });
});
