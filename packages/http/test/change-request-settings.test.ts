import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChangeRequest, getEnvironmentByName } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

// Issue #13: an environment's approval settings over the API. Narrowing takes effect at once;
// loosening a protected environment is itself a change request another person approves.
describe.each(backends)("approval settings on %s", (backend) => {
  let api: Api;
  const keys: Record<"alice" | "bob", string> = { alice: "", bob: "" };
  const as = (who: keyof typeof keys) => ({ token: keys[who] });
  const patch = (name: string, body: unknown, who: keyof typeof keys = "alice") => api.call("PATCH", `/api/environments/${name}`, { ...as(who), body });
  const settings = async (name: string) => {
    const e = (await getEnvironmentByName(api.kdb.db, name))!;
    return { approvals: e.approvals_required, ttl: e.change_request_ttl_seconds };
  };
  const updates = async () =>
    ((await api.call("GET", "/api/audit?action=environment.update&limit=50")).json.items as { result: string; reason: string | null; environment: string }[]).map((r) => `${r.environment}:${r.result}:${r.reason}`);

  beforeAll(async () => {
    api = await startApi({ backend });
    for (const [name, owner] of [["alice", "alice"], ["bob", "bob"]] as const) keys[name] = (await api.call("POST", "/api/admin-keys", { body: { name, role: "admin", owner } })).json.token;
  });
  afterAll(() => api?.close());

  it("environments carry their approval settings", async () => {
    const list = (await api.call("GET", "/api/environments")).json.items as { name: string; approvalsRequired: number; changeRequestTtlSeconds: number }[];
    expect(list.find((e) => e.name === "production")).toMatchObject({ approvalsRequired: 1, changeRequestTtlSeconds: 86400 });
  });

  it("narrowing a protected environment takes effect at once and is audited", async () => {
    const r = await patch("production", { approvalsRequired: 2, changeRequestTtlSeconds: 3600 });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ name: "production", approvalsRequired: 2, changeRequestTtlSeconds: 3600 });
    expect(await settings("production")).toEqual({ approvals: 2, ttl: 3600 });
    expect(await updates()).toContain("production:ok:approvals required 1 to 2, change request lifetime 86400s to 3600s");
  });

  it("loosening a protected environment is a change request; the requester cannot approve it; another person's approval applies it", async () => {
    const held = await patch("production", { approvalsRequired: 1 });
    expect(held.status, held.text).toBe(202);
    expect(held.json).toMatchObject({ kind: "environment.update", payload: { name: "production", patch: { approvalsRequired: 1 } }, approvalsRequired: 2, status: "pending" });
    expect(await settings("production")).toEqual({ approvals: 2, ttl: 3600 });
    const longer = await patch("production", { changeRequestTtlSeconds: 7200, approvalsRequired: 3 });
    expect(longer.status, longer.text).toBe(202);
    expect(longer.json.payload).toEqual({ name: "production", patch: { changeRequestTtlSeconds: 7200, approvalsRequired: 3 } });
    expectProblem(await patch("production", { approvalsRequired: 1, name: "prod" }), 400, "approvalsRequired");
    expectProblem(await patch("production", { changeRequestTtlSeconds: 7200, default: true }), 400, "changeRequestTtlSeconds");

    expectProblem(await api.call("POST", `/api/change-requests/${held.json.id}/approve`, as("alice")), 403, "id");
    // Two approvals are required now: bob's alone leaves it pending, the bootstrap owner's applies it.
    expect((await api.call("POST", `/api/change-requests/${held.json.id}/approve`, as("bob"))).json).toMatchObject({ status: "pending" });
    expect(await settings("production")).toEqual({ approvals: 2, ttl: 3600 });
    expect((await api.call("POST", `/api/change-requests/${held.json.id}/approve`)).json).toMatchObject({ status: "applied" });
    expect(await settings("production")).toEqual({ approvals: 1, ttl: 3600 });
    expect(await updates()).toContain(`production:ok:approvals required 2 to 1, change request ${held.json.id}`);
  });

  it("an unprotected environment changes at once, either way; bad values are 400 naming the field", async () => {
    expect((await patch("staging", { approvalsRequired: 3, changeRequestTtlSeconds: 600 })).json).toMatchObject({ approvalsRequired: 3, changeRequestTtlSeconds: 600 });
    expect((await patch("staging", { approvalsRequired: 1, changeRequestTtlSeconds: 2592000 })).json).toMatchObject({ approvalsRequired: 1, changeRequestTtlSeconds: 2592000 });
    expectProblem(await patch("staging", { approvalsRequired: 0 }), 400, "approvalsRequired");
    expectProblem(await patch("staging", { approvalsRequired: 11 }), 400, "approvalsRequired");
    expectProblem(await patch("staging", { approvalsRequired: 1.5 }), 400, "approvalsRequired");
    expectProblem(await patch("staging", { changeRequestTtlSeconds: 299 }), 400, "changeRequestTtlSeconds");
    expectProblem(await patch("staging", { changeRequestTtlSeconds: 2592001 }), 400, "changeRequestTtlSeconds");
    expect(await settings("staging")).toEqual({ approvals: 1, ttl: 2592000 });
  });

  it("an older environment.unprotect request still reads and applies", async () => {
    const prod = (await getEnvironmentByName(api.kdb.db, "production"))!;
    const old = await createChangeRequest(api.kdb.db, api.envelope, { environmentId: prod.id, kind: "environment.unprotect", target: `environment:${prod.id}`, payload: { name: "production" }, requestedBy: "admin:someone", requestedByOwner: "someone", at: new Date() });
    expect((await api.call("GET", `/api/change-requests/${old.id}`)).json).toMatchObject({ kind: "environment.unprotect", status: "pending" });
    expect((await api.call("POST", `/api/change-requests/${old.id}/approve`, as("bob"))).json).toMatchObject({ status: "applied" });
    expect((await getEnvironmentByName(api.kdb.db, "production"))!.protected).toBe(false);
  });
});
