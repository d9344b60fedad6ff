import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnvironmentByName, readSecretValue } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "promo_" + randomBytes(12).toString("hex");
const PROD_OLD = "prodold_" + randomBytes(12).toString("hex");

// POST /api/secrets/{name}/promote: the value is re-sealed server-side and never crosses the API.
describe.each(backends)("promote on %s", (backend) => {
  let api: Api;
  const read = async (env: string, name: string) => readSecretValue(api.kdb.db, api.envelope, { environmentId: (await getEnvironmentByName(api.kdb.db, env))!.id, name });
  const promote = (name: string, body: unknown, token?: string) => api.call("POST", `/api/secrets/${name}/promote`, { body, ...(token ? { token } : {}) });
  beforeAll(async () => {
    api = await startApi({ backend });
    // Promotion itself is tested here; into a protected environment it is a change request (change-requests.test.ts).
    // Seeded in the database: over the API, turning protection off is itself a change request.
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "production").execute();
  });
  afterAll(async () => {
    // Neither value ever reached a response, a problem or a log line.
    for (const v of [VALUE, PROD_OLD]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("copies staging's current value into production as a new version there, and audits one row naming both", async () => {
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "API_KEY", value: "first" } });
    await api.call("PUT", "/api/secrets/API_KEY/value?environment=staging", { body: { value: VALUE } });
    // Production has no row yet: promotion makes it.
    const first = await promote("API_KEY", { from: "staging", to: "production" });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ name: "API_KEY", from: "staging", fromVersion: 2, to: "production", version: 1 });
    expect(await read("production", "API_KEY")).toMatchObject({ kind: "ok", value: VALUE, version: 1 });
    expect(await read("staging", "API_KEY")).toMatchObject({ kind: "ok", value: VALUE, version: 2 });

    await api.call("PUT", "/api/secrets/API_KEY/value?environment=production", { body: { value: PROD_OLD } });
    expectProblem(await promote("API_KEY", { from: "staging", to: "production", expectedVersion: 1 }), 409, "expectedVersion");
    expect(await read("production", "API_KEY")).toMatchObject({ value: PROD_OLD, version: 2 });
    expect((await promote("API_KEY", { from: "staging", to: "production", expectedVersion: 2 })).json).toMatchObject({ version: 3 });
    expect(await read("production", "API_KEY")).toMatchObject({ value: VALUE, version: 3 });

    const rows = (await api.call("GET", "/api/audit?action=secret.promote")).json.items as { target: string; result: string; reason: string; environment: string }[];
    expect(rows.map((r) => [r.target, r.result, r.reason, r.environment])).toEqual([
      ["secret:API_KEY", "ok", "from staging version 2 to production version 1", "production"],
      ["secret:API_KEY", "refused", "from staging to production: version_conflict", "production"],
      ["secret:API_KEY", "ok", "from staging version 2 to production version 3", "production"],
    ]);
  });

  it("refuses a source with no value or disabled, a disabled target, unknown or equal environments, and other roles", async () => {
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "STUB_ONLY" } });
    expectProblem(await promote("STUB_ONLY", { from: "staging", to: "production" }), 409, "from");
    expectProblem(await promote("NOWHERE", { from: "staging", to: "production" }), 404, "name");
    expectProblem(await promote("API_KEY", { from: "staging", to: "staging" }), 400, "to");
    expectProblem(await promote("API_KEY", { from: "nope", to: "production" }), 400, "from");
    expectProblem(await promote("API_KEY", { from: "staging", to: "nope" }), 400, "to");
    expectProblem(await promote("API_KEY", { from: "staging" }), 400, "to");
    expectProblem(await promote("API_KEY", { from: "staging", to: "production", value: "x" }), 400, "value");

    await api.call("POST", "/api/secrets/API_KEY/disable?environment=production");
    expectProblem(await promote("API_KEY", { from: "staging", to: "production" }), 409, "to");
    expect(await read("production", "API_KEY")).toEqual({ kind: "disabled" });
    expectProblem(await promote("API_KEY", { from: "production", to: "development" }), 409, "from");
    expect(await read("development", "API_KEY")).toEqual({ kind: "not_found" });

    expectProblem(await promote("API_KEY", { from: "staging", to: "development" }, api.tokens.viewer), 403);
    // An operator rotates values, so it may promote one.
    expect((await promote("API_KEY", { from: "staging", to: "development" }, api.tokens.operator)).json).toMatchObject({ to: "development", version: 1 });
  });

  it("a refused promotion into an environment without the secret leaves no row there (only its refused audit row)", async () => {
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "PROMO_NEW", value: "v1" } });
    const before = await api.kdb.db.selectFrom("secret_definitions").select("name").where("name", "=", "PROMO_NEW").execute();
    expectProblem(await promote("PROMO_NEW", { from: "staging", to: "production", expectedVersion: 5 }), 409, "expectedVersion");
    expect(await read("production", "PROMO_NEW")).toEqual({ kind: "not_found" });
    expect(await api.kdb.db.selectFrom("secret_definitions").select("name").where("name", "=", "PROMO_NEW").execute()).toEqual(before);
    expect((await findUnauditedChanges(api.kdb.db)).filter((u) => u.key.includes("PROMO_NEW"))).toEqual([]);
    // Expecting version 0 (no value there yet) is what a first promotion expects: it goes through.
    expect((await promote("PROMO_NEW", { from: "staging", to: "production", expectedVersion: 0 })).json).toMatchObject({ to: "production", version: 1 });
  });
});
