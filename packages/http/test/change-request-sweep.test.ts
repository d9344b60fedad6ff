import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "@keyward/common";
import { createChangeRequest, getEnvironmentByName, listAudit, updateEnvironment } from "@keyward/db";
import { expireOverdueChangeRequests } from "../src/index.js";
import { backends, startApi, type Api } from "./harness.js";

const HELD = "held_" + randomBytes(12).toString("hex");

// Issue #13: the periodic sweep expires every pending request past its lifetime, destroys its held
// value and writes one change_request.expire audit row each; requests still in time are left alone.
describe.each(backends)("the change-request expiry sweep on %s", (backend) => {
  let api: Api;
  let now = new Date("2026-06-01T12:00:00.000Z").getTime();
  const clock: Clock = { now: () => new Date(now) };
  const sweep = (batch?: number) => expireOverdueChangeRequests({ db: api.kdb.db, auditKey: api.auditKey, clock }, batch ? { batch } : {});
  const row = (id: string) => api.kdb.db.selectFrom("change_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    api = await startApi({ backend, clock });
  });
  afterAll(() => api?.close());

  it("expires overdue requests (in batches), destroying held values, one audit row each, and leaves the rest", async () => {
    const prod = (await getEnvironmentByName(api.kdb.db, "production"))!;
    const open = (kind: "secret.set_value" | "secret.disable", at: Date) =>
      createChangeRequest(api.kdb.db, api.envelope, { environmentId: prod.id, kind, target: "secret:X", payload: { name: "X" }, ...(kind === "secret.set_value" ? { value: HELD } : {}), requestedBy: "admin:a", requestedByOwner: "a", at });
    const early = [await open("secret.set_value", clock.now()), await open("secret.disable", clock.now()), await open("secret.disable", clock.now())];
    await updateEnvironment(api.kdb.db, { name: "production", changeRequestTtlSeconds: 7200 });
    now += 3600 * 1000;
    const later = await open("secret.set_value", clock.now());
    expect(await sweep()).toBe(0);

    now += 2 * 3600 * 1000; // three hours in: the later one (a 2 h lifetime) is due, the first three (24 h) are not
    expect(await sweep()).toBe(1);
    expect(await row(later.id)).toMatchObject({ status: "expired", ciphertext: null });
    expect(await row(early[0]!.id)).toMatchObject({ status: "pending" });
    expect((await row(early[0]!.id)).ciphertext).not.toBeNull();
    now += 21 * 3600 * 1000 - 1; // 1 ms before the first three are due
    expect(await sweep()).toBe(0);
    now += 1;
    expect(await sweep(2)).toBe(3); // in batches of two
    for (const r of [...early, later]) expect(await row(r.id)).toMatchObject({ status: "expired", ciphertext: null, wrapped_key: null, key_id: null, decided_by: "keyward:expiry" });
    expect(await sweep()).toBe(0);

    const audit = (await listAudit(api.kdb.db, { action: "change_request.expire", limit: 50 })).items;
    expect(audit.map((a) => a.target).sort()).toEqual([...early, later].map((r) => `change_request:${r.id}`).sort());
    expect(audit.every((a) => a.actor_type === "system" && a.actor_id === "keyward" && a.environment === "production")).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(HELD);
  });

  it("leaves a request that is still in time", async () => {
    const prod = (await getEnvironmentByName(api.kdb.db, "production"))!;
    const fresh = await createChangeRequest(api.kdb.db, api.envelope, { environmentId: prod.id, kind: "secret.disable", target: "secret:Y", payload: { name: "Y" }, requestedBy: "admin:a", requestedByOwner: "a", at: clock.now() });
    now += 7200 * 1000 - 1; // production's lifetime is 2 h now
    expect(await sweep()).toBe(0);
    expect(await row(fresh.id)).toMatchObject({ status: "pending" });
    now += 1;
    expect(await sweep()).toBe(1);
    expect(await row(fresh.id)).toMatchObject({ status: "expired" });
  });
});
