import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { createSecret, getEnvironmentByName, registerServiceToken, setSecretValue } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "env_" + randomBytes(12).toString("hex");
const TOKEN = "kws_" + "q".repeat(43);

type Env = { name: string; protected: boolean; default: boolean; counts: { values: number; stubs: number; tokens: number; grants: number } };

// GET/POST /api/environments, PATCH/DELETE /api/environments/{name} (issue #13 step 2).
describe.each(backends)("environments routes on %s", (backend) => {
  let api: Api;
  const list = async (token?: string) => (await api.call("GET", "/api/environments", token ? { token } : undefined)).json.items as Env[];
  const auditRows = async (action: string) => ((await api.call("GET", `/api/audit?action=${action}`)).json.items as { target: string; result: string; reason: string | null; environment: string | null }[]);
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    for (const v of [VALUE, TOKEN, hashToken(TOKEN)]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("lists the three environments of a fresh instance with what each holds", async () => {
    expect((await list()).map((e) => [e.name, e.protected, e.default])).toEqual([
      ["development", false, true],
      ["staging", false, false],
      ["production", true, false],
    ]);
    // A first value on create is refused in a protected environment (change-requests.test.ts): seed one in the database.
    const production = (await getEnvironmentByName(api.kdb.db, "production"))!.id;
    await createSecret(api.kdb.db, { environmentId: production, name: "DB_URL", actor: "test", at: new Date() });
    await setSecretValue(api.kdb.db, api.envelope, { environmentId: production, name: "DB_URL", value: VALUE, actor: "test", at: new Date() });
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "DB_URL" } });
    const prod = (await list()).find((e) => e.name === "production")!;
    expect(prod.counts).toEqual({ values: 1, stubs: 0, tokens: 0, grants: 0 });
    expect((await list()).find((e) => e.name === "staging")!.counts).toEqual({ values: 0, stubs: 1, tokens: 0, grants: 0 });
    // Every role can read the list (the console and the audit filter need the names).
    expect((await list(api.tokens.auditor)).map((e) => e.name)).toHaveLength(3);
  });

  it("creates an environment (owner/admin only), refuses a duplicate or a bad name, and audits it", async () => {
    const created = await api.call("POST", "/api/environments", { body: { name: "qa", protected: true } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: "qa", protected: true, default: false, legacy: false, counts: { values: 0, stubs: 0, tokens: 0, grants: 0 }, createdBy: expect.stringMatching(/^admin:/) });
    expectProblem(await api.call("POST", "/api/environments", { body: { name: "qa" } }), 409, "name");
    expectProblem(await api.call("POST", "/api/environments", { body: { name: "QA" } }), 400, "name");
    expectProblem(await api.call("POST", "/api/environments", { body: { name: "q_a" } }), 400, "name");
    expectProblem(await api.call("POST", "/api/environments", { body: { name: "x", extra: 1 } }), 400, "extra");
    expectProblem(await api.call("POST", "/api/environments", { body: { name: "by-operator" }, token: api.tokens.operator }), 403);
    expect((await api.call("POST", "/api/environments", { body: { name: "by-admin" }, token: api.tokens.admin })).status).toBe(201);
    const rows = await auditRows("environment.create");
    expect(rows.map((r) => [r.target, r.result, r.environment])).toEqual([
      ["environment:qa", "ok", "qa"],
      ["environment:qa", "refused", null],
      ["environment:by-admin", "ok", "by-admin"],
    ]);
  });

  it("renames, protects and makes default; values stay with a renamed environment", async () => {
    const renamed = await api.call("PATCH", "/api/environments/production", { body: { name: "prod" } });
    expect(renamed.json).toMatchObject({ name: "prod", protected: true, counts: { values: 1 } });
    expect((await api.call("GET", "/api/secrets/DB_URL?environment=prod")).json).toMatchObject({ currentVersion: 1, environment: "prod" });
    expectProblem(await api.call("GET", "/api/secrets/DB_URL?environment=production"), 400, "environment");
    expectProblem(await api.call("PATCH", "/api/environments/prod", { body: { name: "staging" } }), 409, "name");
    expectProblem(await api.call("PATCH", "/api/environments/nowhere", { body: { protected: true } }), 404, "name");
    expectProblem(await api.call("PATCH", "/api/environments/prod", { body: {} }), 400, "body");
    expectProblem(await api.call("PATCH", "/api/environments/prod", { body: { default: false } }), 400, "default");
    expectProblem(await api.call("PATCH", "/api/environments/prod", { body: { protected: false }, token: api.tokens.viewer }), 403);

    const made = await api.call("PATCH", "/api/environments/staging", { body: { default: true, protected: true } });
    expect(made.json).toMatchObject({ name: "staging", default: true, protected: true });
    expect((await list()).filter((e) => e.default).map((e) => e.name)).toEqual(["staging"]);
    // Routes that state no environment now act in the new default.
    expect((await api.call("GET", "/api/secrets/DB_URL")).json).toMatchObject({ environment: "staging", status: "stub" });
    const rows = await auditRows("environment.update");
    expect(rows.map((r) => [r.result, r.reason, r.environment])).toEqual([
      ["ok", "renamed production to prod", "prod"],
      ["refused", "exists", "prod"],
      ["ok", "protected, made default", "staging"],
    ]);
  });

  it("deletes an empty environment; one holding values or tokens needs confirm = its name; never the default", async () => {
    expect((await api.call("DELETE", "/api/environments/by-admin")).status).toBe(204);
    expectProblem(await api.call("DELETE", "/api/environments/staging"), 409, "name");
    const prod = (await getEnvironmentByName(api.kdb.db, "prod"))!;
    // Deleting a protected environment is a change request (change-request-deletes.test.ts): here prod is not protected.
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("id", "=", prod.id).execute();
    await registerServiceToken(api.kdb.db, { environmentId: prod.id, tokenHash: hashToken(TOKEN), serviceName: "svc", serviceVersion: "1", at: new Date() });
    const refused = await api.call("DELETE", "/api/environments/prod");
    expectProblem(refused, 409, "confirm");
    expect(refused.json.detail).toBe("prod holds 1 value(s), 1 token(s), 0 grant(s); repeat its name in confirm to delete them with it");
    expectProblem(await api.call("DELETE", "/api/environments/prod?confirm=qa"), 400, "confirm");
    expectProblem(await api.call("DELETE", "/api/environments/prod?confirm=prod", { token: api.tokens.operator }), 403);
    expect((await api.call("GET", "/api/secrets/DB_URL?environment=prod")).status).toBe(200);
    expect((await api.call("DELETE", "/api/environments/prod?confirm=prod")).status).toBe(204);
    expectProblem(await api.call("DELETE", "/api/environments/prod"), 404, "name");
    expect((await list()).map((e) => e.name)).toEqual(["development", "staging", "qa"]);
    expect(await api.kdb.db.selectFrom("service_tokens").select("id").execute()).toEqual([]);
    const rows = await auditRows("environment.delete");
    expect(rows.map((r) => [r.target, r.result, r.reason])).toEqual([
      ["environment:by-admin", "ok", "0 value(s), 0 token(s), 0 grant(s)"],
      ["environment:staging", "refused", "is_default"],
      ["environment:prod", "refused", "not_empty"],
      ["environment:prod", "ok", "1 value(s), 1 token(s), 0 grant(s)"],
    ]);
  });
});
