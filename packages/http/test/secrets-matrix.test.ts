import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretStub, getEnvironmentByName } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "mx_" + randomBytes(12).toString("hex");

type Cell = { environment: string; state: string; currentVersion: number; rotation: { state: string } | null };
type Row = { name: string; cells: Cell[] };

// GET /api/secrets/matrix: rows = secrets, columns = environments (issue #13 step 2).
describe.each(backends)("secrets matrix on %s", (backend) => {
  let api: Api;
  const matrix = async (query = "") => (await api.call("GET", `/api/secrets/matrix${query}`)).json as { environments: string[]; items: Row[]; nextCursor: string | null };
  const states = (row: Row) => row.cells.map((c) => `${c.environment}=${c.state}@${c.currentVersion}`);
  beforeAll(async () => {
    api = await startApi({ backend });
    // The matrix is tested here; protected environments hold changes for approval (change-requests.test.ts).
    // Seeded in the database: over the API, turning protection off is itself a change request.
    await api.kdb.db.updateTable("environments").set({ protected: false }).where("name", "=", "production").execute();
  });
  afterAll(async () => {
    expect(api.bodies.join("\n")).not.toContain(VALUE);
    expect(api.logs()).not.toContain(VALUE);
    await api?.close();
  });

  it("shows set / stub / missing / disabled per environment, with versions and rotation state", async () => {
    expect(await matrix()).toEqual({ environments: ["development", "staging", "production"], items: [], nextCursor: null });
    await api.call("POST", "/api/secrets", { body: { name: "API_KEY", description: "the api", value: VALUE } });
    await api.call("PUT", "/api/secrets/API_KEY/value", { body: { value: VALUE + "2" } });
    await api.call("POST", "/api/secrets?environment=production", { body: { name: "API_KEY", value: VALUE } });
    await api.call("POST", "/api/secrets/API_KEY/disable?environment=production");
    await createSecretStub(api.kdb.db, { environmentId: (await getEnvironmentByName(api.kdb.db, "staging"))!.id, name: "API_KEY", description: "", requestedBy: "svc", at: new Date() });
    await api.call("POST", "/api/secrets?environment=staging", { body: { name: "DB_URL", value: VALUE } });

    const m = await matrix();
    expect(m.items.map((r) => [r.name, states(r)])).toEqual([
      ["API_KEY", ["development=set@2", "staging=stub@0", "production=disabled@1"]],
      ["DB_URL", ["development=missing@0", "staging=set@1", "production=missing@0"]],
    ]);
    const [apiKey, dbUrl] = m.items;
    expect(apiKey).toMatchObject({ description: "the api", type: "generic", rotationDays: 90 });
    expect(apiKey!.cells[0]!.rotation).toMatchObject({ state: "ok", daysLeft: 89 });
    expect(apiKey!.cells[1]!.rotation).toMatchObject({ state: "no_value", daysLeft: null });
    expect(dbUrl!.cells[0]!.rotation).toBeNull();
  });

  it("filters by q, pages by name, and follows the environments' order and names", async () => {
    expect((await matrix("?q=the%20api")).items.map((r) => r.name)).toEqual(["API_KEY"]);
    expect((await matrix("?q=db_")).items.map((r) => r.name)).toEqual(["DB_URL"]);
    const first = await matrix("?limit=1");
    expect(first.items.map((r) => r.name)).toEqual(["API_KEY"]);
    const second = await matrix(`?limit=1&cursor=${first.nextCursor}`);
    expect([second.items.map((r) => r.name), second.nextCursor]).toEqual([["DB_URL"], null]);
    await api.call("POST", "/api/environments", { body: { name: "qa" } });
    await api.call("PATCH", "/api/environments/production", { body: { name: "prod" } });
    expect((await matrix()).items[1]!.cells.map((c) => `${c.environment}=${c.state}`)).toEqual(["development=missing", "staging=set", "prod=missing", "qa=missing"]);
    expectProblem(await api.call("GET", "/api/secrets/matrix?limit=0"), 400, "limit");
    expectProblem(await api.call("GET", "/api/secrets/matrix?cursor=nonsense"), 400, "cursor");
    expectProblem(await api.call("GET", "/api/secrets/matrix", { token: api.tokens.auditor }), 403);
    expect((await api.call("GET", "/api/secrets/matrix", { token: api.tokens.viewer })).status).toBe(200);
  });
});
