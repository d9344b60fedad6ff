import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { expectProblem, startApi, type Api } from "./harness.js";

describe("admin keys", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it("creates a key with a role, shown once and stored only as a hash", async () => {
    const created = await api.call("POST", "/api/admin-keys", { body: { name: "ci bot", role: "viewer" } });
    expect(created.status).toBe(201);
    const { key, token } = created.json as { key: { id: string; role: string; createdBy: string }; token: string };
    expect(key).toMatchObject({ role: "viewer", revokedAt: null, createdBy: expect.stringMatching(/^admin:/) });
    const stored = await api.kdb.db.selectFrom("admin_api_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    // The key works, with its role and no more.
    expect((await api.call("GET", "/api/me", { token })).json).toEqual({ id: key.id, name: "ci bot", role: "viewer", via: "api_key", environments: null, owner: null });
    expect((await api.call("GET", "/api/secrets", { token })).status).toBe(200);
    expectProblem(await api.call("POST", "/api/secrets", { token, body: { name: "NOPE" } }), 403, "role");
    // A key with an owner says whose it is (the console tells two keys of one person apart by it).
    const owned = (await api.call("POST", "/api/admin-keys", { body: { name: "erin laptop", role: "admin", owner: "erin" } })).json as { key: { id: string }; token: string };
    expect((await api.call("GET", "/api/me", { token: owned.token })).json).toMatchObject({ id: owned.key.id, owner: "erin" });
    // Shown once: it is in no other response, no audit row and no log line.
    const listed = await api.call("GET", "/api/admin-keys");
    expect(listed.json.items.map((k: { name: string }) => k.name)).toContain("ci bot");
    expect(api.bodies.filter((b) => b.includes(token))).toHaveLength(1);
    expect(api.logs()).not.toContain(token);
    expect(JSON.stringify(await api.kdb.db.selectFrom("audit_log").selectAll().execute())).not.toContain(token);

    expectProblem(await api.call("POST", "/api/admin-keys", { body: { name: "x", role: "root" } }), 400, "role");
    expectProblem(await api.call("POST", "/api/admin-keys", { body: { role: "viewer" } }), 400, "name");
  });

  it("revokes keys, and never the last owner", async () => {
    const { json } = await api.call("POST", "/api/admin-keys", { body: { name: "temp", role: "admin" } });
    expect((await api.call("POST", `/api/admin-keys/${json.key.id}/revoke`)).json).toMatchObject({ id: json.key.id, revokedAt: expect.any(String) });
    expectProblem(await api.call("GET", "/api/me", { token: json.token }), 401, "authorization");
    expectProblem(await api.call("POST", `/api/admin-keys/${json.key.id}/revoke`), 409, "id");
    expectProblem(await api.call("POST", "/api/admin-keys/nope/revoke"), 404, "id");
    expect((await api.call("GET", "/api/admin-keys?includeRevoked=true")).json.items.map((k: { name: string }) => k.name)).toContain("temp");
    expect((await api.call("GET", "/api/admin-keys")).json.items.map((k: { name: string }) => k.name)).not.toContain("temp");
    expectProblem(await api.call("GET", "/api/admin-keys?includeRevoked=maybe"), 400, "includeRevoked");

    const me = (await api.call("GET", "/api/me")).json as { id: string };
    expectProblem(await api.call("POST", `/api/admin-keys/${me.id}/revoke`), 409, "id");
    expect((await api.call("GET", "/api/me")).status).toBe(200);
  });

  it("refuses missing, malformed, unknown and revoked bearers with 401 naming authorization", async () => {
    for (const token of [null, "nope", "kwa_short", "kwa_" + "A".repeat(43)]) {
      expectProblem(await api.call("GET", "/api/secrets", { token }), 401, "authorization");
    }
    expectProblem(await api.call("GET", "/api/secrets", { headers: { authorization: "Basic abc" } }), 401, "authorization");
  });
});
