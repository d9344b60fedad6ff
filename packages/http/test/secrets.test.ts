import { defaultEnvironmentId } from "@keyward/db/testing";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretStub, readSecretValue, setSecretValue } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const VALUE = "pw_" + randomBytes(12).toString("hex");
const OLD_VALUE = "old_" + randomBytes(12).toString("hex");
const DAY = 86_400_000;

describe.each(backends)("secrets routes on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    // No response body and no log line ever carried a value.
    for (const v of [VALUE, OLD_VALUE]) {
      expect(api.bodies.join("\n")).not.toContain(v);
      expect(api.logs()).not.toContain(v);
    }
    await api?.close();
  });

  it("creates a secret, with an optional first value that is never echoed", async () => {
    const created = await api.call("POST", "/api/secrets", { body: { name: "STRIPE_API_KEY", description: "Stripe", type: "api-key", rotationDays: 30, value: VALUE } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "STRIPE_API_KEY", status: "active", currentVersion: 1, type: "api-key", rotationDays: 30, rotation: { state: "ok", daysLeft: 29 } });
    expect(created.json).not.toHaveProperty("value");
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "STRIPE_API_KEY" })).toMatchObject({ kind: "ok", value: VALUE, version: 1 });

    const stub = await api.call("POST", "/api/secrets", { body: { name: "EMPTY_ONE" } });
    expect(stub.json).toMatchObject({ status: "stub", currentVersion: 0, type: "generic", rotationDays: 90, rotation: { state: "no_value", daysLeft: null } });
    expectProblem(await api.call("POST", "/api/secrets", { body: { name: "STRIPE_API_KEY" } }), 409, "name");
    expectProblem(await api.call("POST", "/api/secrets", { body: { name: "lower" } }), 400, "name");
    expectProblem(await api.call("POST", "/api/secrets", { body: { description: "no name" } }), 400, "name");
    expectProblem(await api.call("POST", "/api/secrets", { body: { name: "X_Y", rotationDays: 0 } }), 400, "rotationDays");
  });

  it("gets, updates, disables, enables and deletes", async () => {
    const got = await api.call("GET", "/api/secrets/STRIPE_API_KEY");
    expect(got.json).toMatchObject({ name: "STRIPE_API_KEY", description: "Stripe" });
    expectProblem(await api.call("GET", "/api/secrets/NOT_THERE"), 404, "name");
    expectProblem(await api.call("GET", "/api/secrets/not-a-name"), 400, "name");

    const updated = await api.call("PATCH", "/api/secrets/STRIPE_API_KEY", { body: { description: "Stripe live key", rotationDays: 60 } });
    expect(updated.json).toMatchObject({ description: "Stripe live key", rotationDays: 60, rotation: { daysLeft: 59 }, updatedBy: expect.stringMatching(/^admin:/) });
    expectProblem(await api.call("PATCH", "/api/secrets/STRIPE_API_KEY", { body: {} }), 400, "body");
    expectProblem(await api.call("PATCH", "/api/secrets/STRIPE_API_KEY", { body: { status: "active" } }), 400, "status");
    expectProblem(await api.call("PATCH", "/api/secrets/NOT_THERE", { body: { description: "x" } }), 404, "name");

    expect((await api.call("POST", "/api/secrets/STRIPE_API_KEY/disable")).json).toMatchObject({ status: "disabled" });
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "STRIPE_API_KEY" })).toEqual({ kind: "disabled" });
    // A value write would re-enable it, so it is refused until an admin enables the secret.
    expectProblem(await api.call("PUT", "/api/secrets/STRIPE_API_KEY/value", { body: { value: "while-disabled" } }), 409, "name");
    expectProblem(await api.call("POST", "/api/secrets/STRIPE_API_KEY/rollback", { body: { toVersion: 1 } }), 409, "name");
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "STRIPE_API_KEY" })).toEqual({ kind: "disabled" });
    expect((await api.call("POST", "/api/secrets/STRIPE_API_KEY/enable")).json).toMatchObject({ status: "active", currentVersion: 1 });
    expectProblem(await api.call("POST", "/api/secrets/NOT_THERE/disable"), 404, "name");

    expect((await api.call("DELETE", "/api/secrets/EMPTY_ONE")).status).toBe(204);
    expectProblem(await api.call("GET", "/api/secrets/EMPTY_ONE"), 404);
    expectProblem(await api.call("DELETE", "/api/secrets/EMPTY_ONE"), 404, "name");
  });

  it("sets values write-only with check-and-set, lists versions and rolls back", async () => {
    await createSecretStub(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "DB_PASSWORD", description: "db", requestedBy: "service:identity", at: new Date() });
    expect((await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: OLD_VALUE } })).json).toEqual({ name: "DB_PASSWORD", version: 1, environment: "development" });
    expect((await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: VALUE, expectedVersion: 1 } })).json).toEqual({ name: "DB_PASSWORD", version: 2, environment: "development" });
    expectProblem(await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "x", expectedVersion: 1 } }), 409, "expectedVersion");
    expectProblem(await api.call("PUT", "/api/secrets/MISSING/value", { body: { value: "x" } }), 404, "name");
    expectProblem(await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "" } }), 400, "value");
    expectProblem(await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: 5 } }), 400, "value");
    expectProblem(await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "x", extra: 1 } }), 400, "extra");
    expectProblem(await api.call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { nothing: true } }), 400);

    const versions = await api.call("GET", "/api/secrets/DB_PASSWORD/versions");
    expect(versions.json.items.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expectProblem(await api.call("GET", "/api/secrets/NOPE/versions"), 404, "name");

    const rolled = await api.call("POST", "/api/secrets/DB_PASSWORD/rollback", { body: { toVersion: 1, expectedVersion: 2 } });
    expect(rolled.json).toEqual({ name: "DB_PASSWORD", version: 3, environment: "development" });
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "DB_PASSWORD" })).toMatchObject({ value: OLD_VALUE, version: 3 });
    expectProblem(await api.call("POST", "/api/secrets/DB_PASSWORD/rollback", { body: { toVersion: 1, expectedVersion: 2 } }), 409, "expectedVersion");
    expectProblem(await api.call("POST", "/api/secrets/DB_PASSWORD/rollback", { body: { toVersion: 99 } }), 404, "toVersion");
    expectProblem(await api.call("POST", "/api/secrets/NOPE/rollback", { body: { toVersion: 1 } }), 404, "name");
    expectProblem(await api.call("POST", "/api/secrets/DB_PASSWORD/rollback", { body: { toVersion: "1" } }), 400, "toVersion");

    const audit = await api.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).orderBy("seq").execute();
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: "secret.rollback", result: "ok" }), expect.objectContaining({ action: "secret.value.set", result: "refused", reason: "version_conflict" })]));
  });

  it("never returns a value, whatever the route, query or Accept header asks", async () => {
    const attempts: [string, string, Record<string, string>?][] = [
      ["GET", "/api/secrets/DB_PASSWORD/value"],
      ["GET", "/api/secrets/DB_PASSWORD?include=value"],
      ["GET", "/api/secrets/DB_PASSWORD?reveal=true"],
      ["GET", "/api/secrets?include=value"],
      ["GET", "/api/secrets?fields=value"],
      ["GET", "/api/secrets/DB_PASSWORD/versions?version=1&reveal=true"],
      ["GET", "/api/secrets/DB_PASSWORD", { accept: "text/plain" }],
      ["GET", "/api/secrets/DB_PASSWORD/value", { accept: "text/plain" }],
      ["GET", "/api/secrets", { accept: "text/plain" }],
      ["GET", "/api/secrets/DB_PASSWORD", { accept: "application/octet-stream" }],
      ["GET", "/api/secrets/DB_PASSWORD/versions", { accept: "*/*" }],
      ["GET", "/api/audit/export?format=jsonl"],
      ["GET", "/api/audit/export?format=csv"],
      ["GET", "/api/audit?include=value"],
      ["GET", "/api/missing-secrets?reveal=true"],
    ];
    for (const [method, path, headers] of attempts) {
      const r = await api.call(method, path, { headers });
      expect(r.text, `${method} ${path}`).not.toContain(VALUE);
      expect(r.text, `${method} ${path}`).not.toContain(OLD_VALUE);
      if (r.status >= 400) expect(r.type).toBe("application/problem+json");
    }
    expectProblem(await api.call("GET", "/api/secrets/DB_PASSWORD?include=value"), 400, "include");
    expectProblem(await api.call("GET", "/api/secrets/DB_PASSWORD/value"), 405);
  });

  it("lists with search, filters, keyset pages and rotation status", async () => {
    const now = Date.now();
    for (let i = 0; i < 12; i++) await createSecretStub(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), name: `PAGE_${String(i).padStart(2, "0")}`, description: i === 3 ? "the Mailgun token" : "", requestedBy: "t", at: new Date() });
    await setSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "PAGE_00", value: "a", actor: "t", at: new Date(now - 100 * DAY) });
    await setSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "PAGE_01", value: "b", actor: "t", at: new Date(now - 80 * DAY) });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { name: string }[]; nextCursor: string | null } } = await api.call("GET", `/api/secrets?q=PAGE_&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.json.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.json.items.map((s) => s.name));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `PAGE_${String(i).padStart(2, "0")}`));

    expect((await api.call("GET", "/api/secrets?q=mailgun")).json.items.map((s: { name: string }) => s.name)).toEqual(["PAGE_03"]);
    const overdue = await api.call("GET", "/api/secrets?rotation=overdue");
    expect(overdue.json.items).toEqual([expect.objectContaining({ name: "PAGE_00", rotation: expect.objectContaining({ state: "overdue", daysLeft: -10 }) })]);
    const soon = await api.call("GET", "/api/secrets?rotation=due_soon&status=active");
    expect(soon.json.items).toEqual([expect.objectContaining({ name: "PAGE_01", rotation: expect.objectContaining({ state: "due_soon", daysLeft: 9 }) })]);
    expect((await api.call("GET", "/api/secrets?type=api-key")).json.items.map((s: { name: string }) => s.name)).toEqual(["STRIPE_API_KEY"]);
    expect((await api.call("GET", "/api/secrets?status=stub&q=PAGE_1")).json.items).toHaveLength(2);

    expectProblem(await api.call("GET", "/api/secrets?status=weird"), 400, "status");
    expectProblem(await api.call("GET", "/api/secrets?rotation=later"), 400, "rotation");
    expectProblem(await api.call("GET", "/api/secrets?limit=0"), 400, "limit");
    expectProblem(await api.call("GET", "/api/secrets?limit=501"), 400, "limit");
    expectProblem(await api.call("GET", "/api/secrets?limit=ten"), 400, "limit");
    expectProblem(await api.call("GET", "/api/secrets?cursor=bm9wZQ"), 400, "cursor");
    expectProblem(await api.call("GET", "/api/secrets?limit=5&limit=6"), 400, "limit");
  });
});
