import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { createSecretStub, ensureAccessRequest, registerServiceToken } from "@keyward/db";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const TOKEN = "kws_" + "s".repeat(43);

describe.each(backends)("missing secrets, service tokens and access requests on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    // Neither a service token nor its hash ever reaches a response or a log line.
    for (const secret of [TOKEN, hashToken(TOKEN)]) {
      expect(api.bodies.join("\n")).not.toContain(secret);
      expect(api.logs()).not.toContain(secret);
    }
    await api?.close();
  });

  it("lists missing secrets with the services that asked", async () => {
    const at = new Date();
    await createSecretStub(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "MAILGUN_KEY", description: "mail", requestedBy: "service:mailer", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "MAILGUN_KEY", serviceName: "mailer", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "MAILGUN_KEY", serviceName: "billing", at: new Date(at.getTime() + 1) });
    await createSecretStub(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "ZED_KEY", description: "", requestedBy: "service:z", at });
    const first = await api.call("GET", "/api/missing-secrets?limit=1");
    expect(first.json.items).toEqual([
      expect.objectContaining({ name: "MAILGUN_KEY", requestedBy: "service:mailer", services: [expect.objectContaining({ serviceName: "mailer", status: "pending" }), expect.objectContaining({ serviceName: "billing" })] }),
    ]);
    const second = await api.call("GET", `/api/missing-secrets?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json).toEqual({ items: [expect.objectContaining({ name: "ZED_KEY", services: [] })], nextCursor: null });
    // A value makes it no longer missing.
    await api.call("PUT", "/api/secrets/MAILGUN_KEY/value", { body: { value: "mg-value-1" } });
    expect((await api.call("GET", "/api/missing-secrets")).json.items.map((s: { name: string }) => s.name)).toEqual(["ZED_KEY"]);
  });

  it("lists, approves and revokes service tokens", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken(TOKEN), serviceName: "identity", serviceVersion: "1.2.0", at: new Date() });
    await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken("kws_other"), serviceName: "billing", serviceVersion: "1", at: new Date(Date.now() + 1000) });
    const pending = await api.call("GET", "/api/service-tokens?status=pending");
    expect(pending.json.items.map((t: { serviceName: string }) => t.serviceName)).toEqual(["billing", "identity"]);
    expect((await api.call("GET", "/api/service-tokens?service=identity")).json.items).toEqual([expect.objectContaining({ id: token.id, serviceVersion: "1.2.0" })]);
    const page = await api.call("GET", "/api/service-tokens?limit=1");
    expect(page.json.items).toHaveLength(1);
    expect((await api.call("GET", `/api/service-tokens?limit=1&cursor=${page.json.nextCursor}`)).json.items[0].serviceName).toBe("identity");

    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve`)).json).toMatchObject({ status: "approved", approvedBy: expect.stringMatching(/^admin:/) });
    expect((await api.call("POST", `/api/service-tokens/${token.id}/revoke`)).json).toMatchObject({ status: "revoked" });
    expectProblem(await api.call("POST", `/api/service-tokens/${token.id}/approve`), 409, "id");
    expectProblem(await api.call("POST", `/api/service-tokens/${token.id}/revoke`), 409, "id");
    expectProblem(await api.call("POST", "/api/service-tokens/nope/approve"), 404, "id");
    expectProblem(await api.call("POST", "/api/service-tokens/bad%20id/approve"), 400, "id");
    expectProblem(await api.call("GET", "/api/service-tokens?status=gone"), 400, "status");
    const actions = (await api.kdb.db.selectFrom("audit_log").select(["action", "result"]).execute()).map((a) => `${a.action}:${a.result}`);
    expect(actions).toEqual(expect.arrayContaining(["token.approve:ok", "token.revoke:ok", "token.approve:refused"]));
  });

  it("lists, filters, approves, denies and revokes access requests", async () => {
    const at = new Date();
    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "DB_URL", serviceName: "identity", at });
    await ensureAccessRequest(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), secretName: "DB_URL", serviceName: "billing", at });
    expect((await api.call("GET", "/api/access-requests?secret=DB_URL")).json.items).toHaveLength(2);
    expect((await api.call("GET", "/api/access-requests?secret=DB_URL&service=identity")).json.items).toEqual([expect.objectContaining({ id: request.id, status: "pending" })]);
    const pending = (await api.call("GET", "/api/access-requests?status=pending")).json.items.length;
    expect(pending).toBeGreaterThanOrEqual(2);

    expect((await api.call("POST", `/api/access-requests/${request.id}/approve`)).json).toMatchObject({ status: "granted", decidedBy: expect.stringMatching(/^admin:/) });
    expect((await api.call("GET", "/api/access-requests?status=granted")).json.items.map((r: { id: string }) => r.id)).toEqual([request.id]);
    expect((await api.call("POST", `/api/access-requests/${request.id}/revoke`)).json).toMatchObject({ status: "revoked" });
    expect((await api.call("POST", `/api/access-requests/${request.id}/deny`)).json).toMatchObject({ status: "denied" });
    expect((await api.call("GET", "/api/access-requests?status=pending")).json.items.length).toBe(pending - 1);
    expectProblem(await api.call("POST", "/api/access-requests/nope/deny"), 404, "id");
    expectProblem(await api.call("GET", "/api/access-requests?secret=lower-case"), 400, "secret");
    const actions = (await api.kdb.db.selectFrom("audit_log").select("action").execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["access.grant", "access.revoke", "access.deny"]));
  });
});
