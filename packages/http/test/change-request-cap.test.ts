import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "@keyward/common";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "capped_" + randomBytes(12).toString("hex");

// Issue #13: a protected environment holds at most maxPendingChangeRequests pending requests
// (KEYWARD_MAX_PENDING_CHANGE_REQUESTS); past it a new one is refused and the refusal audited.
describe.each(backends)("the cap on pending change requests on %s", (backend) => {
  let api: Api;
  let now = new Date("2026-06-01T12:00:00.000Z").getTime();
  const clock: Clock = { now: () => new Date(now) };
  const setValue = () => api.call("PUT", "/api/secrets/CAPPED/value?environment=production", { body: { value: VALUE } });

  beforeAll(async () => {
    api = await startApi({ backend, clock, http: { maxPendingChangeRequests: 2 } });
    expect((await api.call("POST", "/api/secrets?environment=production", { body: { name: "CAPPED" } })).status).toBe(201);
  });
  afterAll(async () => {
    expect(api.bodies.join("\n")).not.toContain(VALUE);
    expect(api.logs()).not.toContain(VALUE);
    await api?.close();
  });

  it("refuses the request past the cap with 409 change_requests_full naming the environment, audited as refused", async () => {
    const first = await setValue();
    expect(first.status, first.text).toBe(202);
    expect((await api.call("POST", "/api/secrets/CAPPED/disable?environment=production")).status).toBe(202);
    const refused = await setValue();
    expectProblem(refused, 409, "environment");
    expect(refused.json.code).toBe("change_requests_full");
    expect(refused.json.detail).toContain("production has 2 pending change requests");
    expect(await api.kdb.db.selectFrom("change_requests").select("id").where("status", "=", "pending").execute()).toHaveLength(2);
    const audit = (await api.call("GET", "/api/audit?action=change_request.create&result=refused")).json.items as { target: string; reason: string; environment: string }[];
    expect(audit).toEqual([expect.objectContaining({ target: "secret:CAPPED", environment: "production", reason: "change_requests_full: 2 pending, secret.set_value" })]);
    // Staging is not protected: nothing is held there, so the cap does not apply.
    expect((await api.call("POST", "/api/secrets?environment=staging", { body: { name: "CAPPED", value: VALUE } })).status).toBe(201);

    // Deciding one frees a place.
    expect((await api.call("POST", `/api/change-requests/${first.json.id}/reject`)).status).toBe(200);
    expect((await setValue()).status).toBe(202);
    expectProblem(await setValue(), 409, "environment");
  });

  it("requests past their expiry do not count, even before a sweep marks them", async () => {
    now += 25 * 3600 * 1000;
    const r = await setValue();
    expect(r.status, r.text).toBe(202);
  });
});
