import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN_PREFIX, createEnvelope, createLogger, generateToken, hashToken, kekFromKey, systemClock } from "@keyward/common";
import { createAdminKey, createSecretStub, ensureAccessRequest, migrateToLatest, readSecretValue, registerServiceToken, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { startHttpServer, type RunningHttpServer } from "../src/index.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const VALUE = "pw_" + randomBytes(10).toString("hex");
const adminToken = generateToken(ADMIN_TOKEN_PREFIX);
let kdb: KeywardDatabase;
let server: RunningHttpServer;
let base: string;
let logText = "";
const bodies: string[] = [];

const call = async (method: string, path: string, init: { body?: unknown; token?: string | null; contentType?: string } = {}) => {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? adminToken}`;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const res = await fetch(base + path, { method, headers, body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, type: res.headers.get("content-type"), requestId: res.headers.get("x-request-id"), json: text ? JSON.parse(text) : undefined };
};

beforeAll(async () => {
  kdb = wrapPglite(await PGlite.create());
  await migrateToLatest(kdb.db);
  await createAdminKey(kdb.db, { name: "bootstrap", role: "owner", keyHash: hashToken(adminToken), actor: "system", at: new Date() });
  const destination = new Writable({ write: (c, _e, cb) => ((logText += c.toString()), cb()) });
  server = await startHttpServer({ db: kdb.db, envelope, auditKey: randomBytes(32), logger: createLogger({ destination }), clock: systemClock }, { host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await kdb?.close();
});

describe("admin HTTP API", () => {
  it("requires a valid admin bearer token", async () => {
    for (const token of [null, "nope", generateToken(ADMIN_TOKEN_PREFIX)]) {
      const r = await call("GET", "/api/secrets", { token });
      expect(r.status).toBe(401);
      expect(r.type).toBe("application/problem+json");
      expect(r.json).toMatchObject({ status: 401, field: "authorization", requestId: r.requestId });
    }
  });

  it("sets a value write-only and lists secrets without values", async () => {
    await createSecretStub(kdb.db, { name: "DB_PASSWORD", description: "db", requestedBy: "svc", at: new Date() });
    const set = await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: VALUE } });
    expect(set).toMatchObject({ status: 200, json: { name: "DB_PASSWORD", version: 1 } });
    expect(await readSecretValue(kdb.db, envelope, "DB_PASSWORD")).toMatchObject({ kind: "ok", value: VALUE });
    const list = await call("GET", "/api/secrets");
    expect(list.json.items).toEqual([expect.objectContaining({ name: "DB_PASSWORD", status: "active", currentVersion: 1 })]);
    const conflict = await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "other", expectedVersion: 0 } });
    expect(conflict).toMatchObject({ status: 409, json: { field: "expectedVersion" } });
    expect(bodies.join("\n")).not.toContain(VALUE);
    expect(logText).not.toContain(VALUE);
  });

  it("names what is wrong with a bad request", async () => {
    expect((await call("PUT", "/api/secrets/bad-name/value", { body: { value: "x" } })).json).toMatchObject({ status: 400, field: "name" });
    expect((await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "" } })).json).toMatchObject({ status: 400, field: "value" });
    expect((await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "x", extra: 1 } })).json).toMatchObject({ status: 400, field: "extra" });
    expect((await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: "{not json" })).json).toMatchObject({ status: 400, title: "Invalid JSON" });
    expect((await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: "x", contentType: "text/plain" })).status).toBe(415);
    expect((await call("PUT", "/api/secrets/MISSING/value", { body: { value: "x" } })).status).toBe(404);
    expect((await call("GET", "/api/secrets?status=weird")).json).toMatchObject({ status: 400, field: "status" });
    expect((await call("DELETE", "/api/secrets")).status).toBe(405);
    expect((await call("GET", "/nope")).status).toBe(404);
    expect((await call("PUT", "/api/secrets/DB_PASSWORD/value", { body: { value: "x".repeat(200_000) } })).status).toBe(413);
  });

  it("approves service tokens and decides access requests", async () => {
    const { token } = await registerServiceToken(kdb.db, { tokenHash: hashToken("kws_whatever"), serviceName: "identity", serviceVersion: "1", at: new Date() });
    const tokens = await call("GET", "/api/service-tokens?status=pending");
    expect(tokens.json.items).toEqual([expect.objectContaining({ id: token.id, status: "pending" })]);
    expect(JSON.stringify(tokens.json)).not.toContain(token.token_hash);
    expect((await call("POST", `/api/service-tokens/${token.id}/approve`)).json).toMatchObject({ status: "approved" });
    expect((await call("POST", `/api/service-tokens/nope/approve`)).status).toBe(404);

    const { request } = await ensureAccessRequest(kdb.db, { secretName: "DB_PASSWORD", serviceName: "identity", at: new Date() });
    expect((await call("GET", "/api/access-requests?status=pending")).json.items).toHaveLength(1);
    expect((await call("POST", `/api/access-requests/${request.id}/approve`)).json).toMatchObject({ status: "granted" });
    expect((await call("POST", `/api/access-requests/${request.id}/deny`)).json).toMatchObject({ status: "denied" });
    const audit = await kdb.db.selectFrom("audit_log").select("action").orderBy("seq").execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["secret.value.set", "token.approve", "access.grant", "access.deny"]));
  });
});
