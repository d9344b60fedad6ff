import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnvironmentByName, readSecretValue } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "prod_del_" + randomBytes(12).toString("hex");

// Issue #13: one admin alone cannot delete a production secret or delete production itself.
describe.each(backends)("deletions in a protected environment on %s", (backend) => {
  let api: Api;
  const keys: Record<"alice1" | "alice2" | "bob", string> = { alice1: "", alice2: "", bob: "" };
  const as = (who: keyof typeof keys) => ({ token: keys[who] });
  const approve = (id: string, who: keyof typeof keys) => api.call("POST", `/api/change-requests/${id}/approve`, as(who));
  const prod = async () => (await getEnvironmentByName(api.kdb.db, "production"))!;
  const audit = async (action: string) =>
    ((await api.call("GET", `/api/audit?action=${action}&limit=50`)).json.items as { action: string; result: string; reason: string | null; environment: string | null }[]).filter((r) => r.action === action);

  beforeAll(async () => {
    api = await startApi({ backend });
    for (const [name, owner] of [["alice1", "alice"], ["alice2", "alice"], ["bob", "bob"]] as const) {
      keys[name] = (await api.call("POST", "/api/admin-keys", { body: { name, role: "admin", owner } })).json.token;
    }
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "production").execute();
    for (const name of ["DB_URL", "OTHER"]) await api.call("POST", "/api/secrets?environment=production", { body: { name, value: VALUE } });
    await api.kdb.db.updateTable("environments").set({ protected: true }).where("name", "=", "production").execute();
  });
  afterAll(async () => {
    expect(api.bodies.join("\n")).not.toContain(VALUE);
    expect(api.logs()).not.toContain(VALUE);
    await api?.close();
  });

  it("deleting a production secret is a change request; the requester and another key of the same owner cannot approve it", async () => {
    const held = await api.call("DELETE", "/api/secrets/DB_URL?environment=production", as("alice1"));
    expect(held.status, held.text).toBe(202);
    expect(held.json).toMatchObject({ kind: "secret.delete", target: "secret:DB_URL", status: "pending", environment: "production", payload: { name: "DB_URL" }, holdsValue: false });
    const id = held.json.id as string;
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: (await prod()).id, name: "DB_URL" })).toMatchObject({ kind: "ok", value: VALUE });
    expectProblem(await approve(id, "alice1"), 403, "id");
    expectProblem(await approve(id, "alice2"), 403, "id");
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: (await prod()).id, name: "DB_URL" })).toMatchObject({ kind: "ok" });
    const applied = await approve(id, "bob");
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json).toMatchObject({ status: "applied" });
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: (await prod()).id, name: "DB_URL" })).toEqual({ kind: "not_found" });
    expect(await audit("secret.delete")).toEqual([expect.objectContaining({ result: "ok", environment: "production", reason: `change request ${id}` })]);
  });

  it("a missing secret is a 404, not a request; a secret deleted while its request waits makes the approval a 409 that rolls back", async () => {
    expectProblem(await api.call("DELETE", "/api/secrets/NOPE?environment=production", as("alice1")), 404, "name");
    const first = await api.call("DELETE", "/api/secrets/OTHER?environment=production", as("alice1"));
    const second = await api.call("DELETE", "/api/secrets/OTHER?environment=production", as("alice1"));
    expect((await approve(first.json.id, "bob")).json).toMatchObject({ status: "applied" });
    expectProblem(await approve(second.json.id, "bob"), 409, "id");
    expect((await api.call("GET", `/api/change-requests/${second.json.id}`)).json).toMatchObject({ status: "pending", approvals: [] });
  });

  it("deleting production keeps the confirm rule, is a change request, and applies on another person's approval", async () => {
    await api.call("POST", "/api/secrets?environment=production", { body: { name: "KEEP" } });
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "production").execute();
    await api.call("PUT", "/api/secrets/KEEP/value?environment=production", { body: { value: VALUE } });
    await api.kdb.db.updateTable("environments").set({ protected: true }).where("name", "=", "production").execute();
    expectProblem(await api.call("DELETE", "/api/environments/production", as("alice1")), 409, "confirm");
    expectProblem(await api.call("DELETE", "/api/environments/production?confirm=staging", as("alice1")), 400, "confirm");
    expect(await audit("environment.delete")).toEqual([expect.objectContaining({ result: "refused", reason: "not_empty", environment: "production" })]);
    expect(await api.kdb.db.selectFrom("change_requests").select("id").where("kind", "=", "environment.delete").execute()).toEqual([]);

    const held = await api.call("DELETE", "/api/environments/production?confirm=production", as("alice1"));
    expect(held.status, held.text).toBe(202);
    expect(held.json).toMatchObject({ kind: "environment.delete", status: "pending", environment: "production", payload: { name: "production", confirm: true } });
    expect(await getEnvironmentByName(api.kdb.db, "production")).toBeDefined();
    expectProblem(await approve(held.json.id, "alice1"), 403, "id");
    expectProblem(await approve(held.json.id, "alice2"), 403, "id");
    expect(await getEnvironmentByName(api.kdb.db, "production")).toBeDefined();

    const applied = await approve(held.json.id, "bob");
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json).toMatchObject({ id: held.json.id, status: "applied", kind: "environment.delete" });
    expect(await getEnvironmentByName(api.kdb.db, "production")).toBeUndefined();
    expect((await audit("environment.delete")).map((r) => `${r.result}:${r.reason}`).sort()).toEqual([`ok:1 value(s), 0 token(s), 0 grant(s), change request ${held.json.id}`, "refused:not_empty"]);
    expect((await audit("change_request.apply")).map((r) => r.reason)).toContain("environment.delete environment:" + (applied.json.target as string).split(":")[1]);
  });

  it("the default environment cannot be deleted even as a request", async () => {
    await api.kdb.db.updateTable("environments").set({ protected: true }).where("is_default", "=", true).execute();
    const def = (await api.kdb.db.selectFrom("environments").select("name").where("is_default", "=", true).executeTakeFirstOrThrow()).name;
    expectProblem(await api.call("DELETE", `/api/environments/${def}?confirm=${def}`, as("alice1")), 409, "name");
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("is_default", "=", true).execute();
  });
});
