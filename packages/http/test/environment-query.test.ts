import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { ensureAccessRequest, getEnvironmentByName, getDefaultEnvironment, readSecretValue, registerServiceToken } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const STAGING_VALUE = "stg_" + randomBytes(12).toString("hex");
const DEV_VALUE = "dev_" + randomBytes(12).toString("hex");
const TOKEN = "kws_" + "e".repeat(43);

// `?environment=<name>` on the routes that read or write values, stubs, grants and tokens (issue #13 step 2).
describe.each(backends)("?environment= on %s", (backend) => {
  let api: Api;
  let defaultName: string;
  const envId = async (name: string) => (await getEnvironmentByName(api.kdb.db, name))!.id;
  beforeAll(async () => {
    api = await startApi({ backend });
    defaultName = (await getDefaultEnvironment(api.kdb.db)).name;
  });
  afterAll(async () => {
    for (const v of [STAGING_VALUE, DEV_VALUE, TOKEN, hashToken(TOKEN)]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("acts in the named environment and says which; omitted is the default", async () => {
    expect(defaultName).toBe("development");
    const created = await api.call("POST", "/api/secrets?environment=staging", { body: { name: "DB_URL", value: STAGING_VALUE } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: "DB_URL", status: "active", currentVersion: 1, environment: "staging" });
    // The definition is shared, the state is not: the default environment has no row yet.
    expectProblem(await api.call("GET", "/api/secrets/DB_URL"), 404, "name");
    const dev = await api.call("POST", "/api/secrets", { body: { name: "DB_URL", value: DEV_VALUE } });
    expect(dev.json).toMatchObject({ status: "active", currentVersion: 1, environment: "development" });

    const set = await api.call("PUT", "/api/secrets/DB_URL/value?environment=staging", { body: { value: STAGING_VALUE + "2", expectedVersion: 1 } });
    expect(set.json).toEqual({ name: "DB_URL", version: 2, environment: "staging" });
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await envId("staging"), name: "DB_URL" })).toMatchObject({ kind: "ok", value: STAGING_VALUE + "2", version: 2 });
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await envId("development"), name: "DB_URL" })).toMatchObject({ kind: "ok", value: DEV_VALUE, version: 1 });

    const stagingList = await api.call("GET", "/api/secrets?environment=staging");
    expect(stagingList.json.items.map((s: { name: string; environment: string; currentVersion: number }) => [s.name, s.environment, s.currentVersion])).toEqual([["DB_URL", "staging", 2]]);
    expect((await api.call("GET", "/api/secrets")).json.items.map((s: { environment: string }) => s.environment)).toEqual(["development"]);
    expect((await api.call("GET", "/api/secrets/DB_URL/versions?environment=staging")).json.items).toHaveLength(2);
    expect((await api.call("POST", "/api/secrets/DB_URL/disable?environment=staging")).json).toMatchObject({ status: "disabled", environment: "staging" });
    expect((await api.call("GET", "/api/secrets/DB_URL")).json).toMatchObject({ status: "active", environment: "development" });
    expect((await api.call("POST", "/api/secrets/DB_URL/enable?environment=staging")).json).toMatchObject({ status: "active", environment: "staging" });
  });

  it("refuses an unknown or malformed environment with a 400 naming it, and changes nothing", async () => {
    for (const [method, path, body] of [
      ["GET", "/api/secrets?environment=nowhere"],
      ["GET", "/api/secrets/DB_URL?environment=nowhere"],
      ["PUT", "/api/secrets/DB_URL/value?environment=nowhere", { value: "never-stored" }],
      ["PATCH", "/api/secrets/DB_URL?environment=nowhere", { description: "never" }],
      ["POST", "/api/secrets?environment=nowhere", { name: "NEVER_MADE" }],
      ["GET", "/api/service-tokens?environment=nowhere"],
      ["GET", "/api/access-requests?environment=nowhere"],
      ["GET", "/api/missing-secrets?environment=nowhere"],
      ["GET", "/api/secrets?environment=Staging"],
      ["GET", "/api/secrets?environment=" + "a".repeat(64)],
    ] as [string, string, unknown?][]) {
      const r = await api.call(method, path, body === undefined ? undefined : { body });
      expectProblem(r, 400, "environment");
    }
    expect((await api.call("GET", "/api/secrets/DB_URL?environment=staging")).json).toMatchObject({ currentVersion: 2, description: "" });
    expectProblem(await api.call("GET", "/api/secrets/NEVER_MADE?environment=staging"), 404, "name");
  });

  it("shows tokens and grants of the environment asked for, each naming it", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await envId("staging"), tokenHash: hashToken(TOKEN), serviceName: "billing", serviceVersion: "1", at: new Date() });
    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId: await envId("staging"), secretName: "DB_URL", serviceName: "billing", at: new Date() });
    expect((await api.call("GET", "/api/service-tokens")).json.items).toEqual([]);
    expectProblem(await api.call("GET", `/api/service-tokens/${token.id}`), 404, "id");
    expect((await api.call("GET", `/api/service-tokens/${token.id}?environment=staging`)).json).toMatchObject({ id: token.id, environment: "staging", status: "pending" });
    expect((await api.call("GET", "/api/service-tokens?environment=staging")).json.items).toMatchObject([{ id: token.id, environment: "staging" }]);
    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve?environment=staging`, { body: {} })).json).toMatchObject({ status: "approved", environment: "staging" });

    expect((await api.call("GET", "/api/access-requests")).json.items).toEqual([]);
    expectProblem(await api.call("POST", `/api/access-requests/${request.id}/approve`), 404, "id");
    expect((await api.call("POST", `/api/access-requests/${request.id}/approve?environment=staging`)).json).toMatchObject({ status: "granted", environment: "staging" });
    expect((await api.call("GET", "/api/access-requests?environment=staging")).json.items).toMatchObject([{ id: request.id, environment: "staging", status: "granted" }]);
  });

  it("filters the audit log by environment; rows with none belong to the legacy environment", async () => {
    const staging = (await api.call("GET", "/api/audit?environment=staging")).json.items as { action: string; environment: string | null }[];
    expect(staging.map((r) => r.action)).toEqual(expect.arrayContaining(["secret.create", "secret.value.set", "secret.disable", "secret.enable", "token.approve", "access.grant"]));
    expect(new Set(staging.map((r) => r.environment))).toEqual(new Set(["staging"]));
    const dev = (await api.call("GET", "/api/audit?environment=development")).json.items as { environment: string | null }[];
    expect(dev.length).toBeGreaterThan(0);
    expect(new Set(dev.map((r) => r.environment))).toEqual(new Set(["development"]));
    // An instance-wide row (an admin key) carries no environment.
    expect((await api.call("POST", "/api/admin-keys", { body: { name: "ci", role: "viewer" } })).status).toBe(201);
    const all = (await api.call("GET", "/api/audit")).json.items as { environment: string | null }[];
    const unnamed = all.filter((r) => r.environment === null).length;
    expect(unnamed).toBeGreaterThan(0);

    // After an upgrade, the legacy environment's filter also matches the rows written before environments.
    await api.kdb.db.updateTable("environments").set({ legacy: true }).where("name", "=", "staging").execute();
    const legacy = (await api.call("GET", "/api/audit?environment=staging")).json.items as { environment: string | null }[];
    expect(legacy.length).toBe(staging.length + unnamed);
    expect((await api.call("GET", "/api/audit?environment=development")).json.items).toHaveLength(dev.length);

    const exported = await api.call("GET", "/api/audit/export?format=jsonl&environment=development");
    const lines = exported.text.trim().split("\n").map((l) => JSON.parse(l) as { environment: string | null });
    expect(lines).toHaveLength(dev.length);
    expect(new Set(lines.map((l) => l.environment))).toEqual(new Set(["development"]));
    // A name no environment has is history, not an error: no rows.
    expect((await api.call("GET", "/api/audit?environment=gone")).json.items).toEqual([]);
    expectProblem(await api.call("GET", "/api/audit?environment=Bad"), 400, "environment");
  });
});
