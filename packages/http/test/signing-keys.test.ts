import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnvironmentByName, readSigningKeyMaterial } from "@keyward/db";
import { findUnauditedChanges } from "@keyward/db/testing";
import { expectProblem, startApi, type Api } from "./harness.js";

// /api/signing-keys (issue #16): keys are made, rotated and retired here; their material never crosses the API.
describe("signing keys over the admin API", () => {
  let api: Api;
  const materials: string[] = [];
  const remember = async (name: string, env = "development") => {
    const read = await readSigningKeyMaterial(api.kdb.db, api.envelope, { environmentId: (await getEnvironmentByName(api.kdb.db, env))!.id, name });
    if (read.kind === "ok") materials.push(read.material);
    return read;
  };
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    expect(materials.length).toBeGreaterThan(0);
    for (const m of materials) {
      expect(api.bodies.join("\n")).not.toContain(m);
      expect(api.logs()).not.toContain(m);
    }
    await api?.close();
  });

  it("creates an Ed25519 key with its public key, rotates it and retires old versions, each with its audit row", async () => {
    const created = await api.call("POST", "/api/signing-keys", { body: { name: "ISSUANCE", algorithm: "ed25519", description: "service accounts" } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: "ISSUANCE", algorithm: "ed25519", status: "active", currentVersion: 1, minVersion: 1, environment: "development", description: "service accounts" });
    expect(created.json.versions).toEqual([{ version: 1, createdAt: expect.any(String), createdBy: expect.any(String), current: true, retired: false, publicKey: expect.any(String) }]);
    expect(await remember("ISSUANCE")).toMatchObject({ kind: "ok", version: 1 });

    // The operator rotates, as it rotates values.
    const rotated = await api.call("POST", "/api/signing-keys/ISSUANCE/rotate", { token: api.tokens.operator });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json).toMatchObject({ currentVersion: 2 });
    expect(rotated.json.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([[2, true], [1, false]]);
    expect(rotated.json.versions[0].publicKey).not.toBe(rotated.json.versions[1].publicKey);
    await remember("ISSUANCE");

    expectProblem(await api.call("POST", "/api/signing-keys/ISSUANCE/retire", { body: { below: 3 } }), 409, "below");
    expectProblem(await api.call("POST", "/api/signing-keys/ISSUANCE/retire", { body: { below: 2 }, token: api.tokens.operator }), 403);
    const retired = await api.call("POST", "/api/signing-keys/ISSUANCE/retire", { body: { below: 2 } });
    expect(retired.status, retired.text).toBe(200);
    expect(retired.json).toMatchObject({ minVersion: 2 });
    expect(retired.json.versions.map((v: { retired: boolean }) => v.retired)).toEqual([false, true]);

    const list = await api.call("GET", "/api/signing-keys", { token: api.tokens.viewer });
    expect(list.json.items.map((k: { name: string }) => k.name)).toEqual(["ISSUANCE"]);
    const rows = await api.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).where("target", "=", "signing_key:ISSUANCE").orderBy("seq").execute();
    expect(rows).toEqual([
      { action: "signing_key.create", result: "ok", reason: "ed25519" },
      { action: "signing_key.rotate", result: "ok", reason: "version 2" },
      { action: "signing_key.retire", result: "refused", reason: "invalid" },
      { action: "signing_key.retire", result: "ok", reason: "below version 2" },
    ]);
    // Every row is explained by the audit log (the key's secrets row, its two versions, its
    // retirement); the harness seeds its admin keys in the database, without rows.
    expect((await findUnauditedChanges(api.kdb.db)).filter((f) => f.table !== "admin_api_keys")).toEqual([]);
  });

  it("shares the secret name space, and refuses to set, roll back or promote a signing key's value", async () => {
    await api.call("POST", "/api/secrets", { body: { name: "PLAIN" } });
    const clash = await api.call("POST", "/api/signing-keys", { body: { name: "PLAIN", algorithm: "hmac-sha256" } });
    expectProblem(clash, 409, "name");
    expect(clash.json.detail).toBe("PLAIN is already a secret in development; signing keys and secrets share one name space");
    expect((await api.call("POST", "/api/signing-keys", { body: { name: "HOOKS", algorithm: "hmac-sha256" } })).status).toBe(201);
    await remember("HOOKS");
    expect((await api.call("POST", "/api/secrets", { body: { name: "HOOKS" } })).status).toBe(409);
    expectProblem(await api.call("POST", "/api/signing-keys", { body: { name: "HOOKS", algorithm: "ed25519" } }), 409, "name");

    const set = await api.call("PUT", "/api/secrets/HOOKS/value", { body: { value: "my-own-key" } });
    expectProblem(set, 409, "name");
    expect(set.json.detail).toMatch(/HOOKS in development is a signing key/);
    expectProblem(await api.call("POST", "/api/secrets/HOOKS/rollback", { body: { toVersion: 1 } }), 409, "name");
    expectProblem(await api.call("POST", "/api/secrets/HOOKS/promote", { body: { from: "development", to: "staging" } }), 409, "name");
    // Into a protected environment too, and no change request is held for it.
    expectProblem(await api.call("POST", "/api/secrets/HOOKS/promote", { body: { from: "development", to: "production" } }), 409, "name");
    expect(await api.kdb.db.selectFrom("change_requests").select("id").execute()).toEqual([]);
    expect(await remember("HOOKS")).toMatchObject({ kind: "ok", version: 1 });
  });

  it("names what is wrong: bad input, unknown keys, a disabled key, a protected environment", async () => {
    expectProblem(await api.call("POST", "/api/signing-keys", { body: { name: "BAD", algorithm: "rsa" } }), 400);
    expectProblem(await api.call("POST", "/api/signing-keys", { body: { name: "lower", algorithm: "ed25519" } }), 400);
    expectProblem(await api.call("POST", "/api/signing-keys/NOPE/rotate"), 404, "name");
    expectProblem(await api.call("POST", "/api/signing-keys/NOPE/retire", { body: { below: 1 } }), 404, "name");
    expectProblem(await api.call("POST", "/api/signing-keys", { body: { name: "OPS_KEY", algorithm: "ed25519" }, token: api.tokens.operator }), 403);

    await api.call("POST", "/api/signing-keys", { body: { name: "OFF", algorithm: "hmac-sha256" } });
    await remember("OFF");
    expect((await api.call("POST", "/api/secrets/OFF/disable")).status).toBeLessThan(300);
    const disabled = await api.call("POST", "/api/signing-keys/OFF/rotate");
    expectProblem(disabled, 409, "name");
    expect(disabled.json.detail).toMatch(/OFF is disabled/);

    const prod = await api.call("POST", "/api/signing-keys?environment=production", { body: { name: "PROD_KEY", algorithm: "ed25519" } });
    expectProblem(prod, 409, "environment");
    expect(prod.json.detail).toBe("production is protected: creating a signing key is not yet supported in protected environments");
    // Per environment: staging has none of development's keys.
    expect((await api.call("GET", "/api/signing-keys?environment=staging")).json).toEqual({ items: [] });
  });
});
