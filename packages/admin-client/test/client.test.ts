import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApiError, createAdminClient, unwrap, unwrapChange } from "../src/index.js";

// A loopback server answering as the admin API does: JSON, problem+json, and 202 with a change request.
const seen: { auth: string | undefined; url: string | undefined }[] = [];
const server = http.createServer((req, res) => {
  seen.push({ auth: req.headers.authorization, url: req.url });
  const send = (status: number, body: unknown, type = "application/json") => {
    res.writeHead(status, { "content-type": type });
    res.end(JSON.stringify(body));
  };
  if (req.url === "/api/me") return send(200, { id: "k1", name: "owner", role: "owner", via: "api_key", environments: null, owner: null });
  if (req.url?.startsWith("/api/secrets/HELD/value")) return send(202, { id: "cr_1", kind: "secret.set", status: "pending" });
  if (req.url?.startsWith("/api/secrets/OK/value")) return send(200, { name: "OK", environment: "development", version: 2 });
  return send(409, { type: "about:blank", title: "Version conflict", status: 409, detail: "expected version 1, current 2", code: "version_conflict" }, "application/problem+json");
});
let baseUrl = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("@keyward/admin-client", () => {
  it("sends the token from getToken as a bearer header on every call, never in the URL", async () => {
    const token = "kwa_" + "a".repeat(40);
    const admin = createAdminClient({ baseUrl, getToken: () => token });
    expect(await unwrap(admin.GET("/api/me"))).toMatchObject({ name: "owner", role: "owner" });
    expect(seen.at(-1)).toEqual({ auth: `Bearer ${token}`, url: "/api/me" });
    const anonymous = createAdminClient({ baseUrl, getToken: () => undefined });
    await unwrap(anonymous.GET("/api/me"));
    expect(seen.at(-1)!.auth).toBeUndefined();
  });

  it("unwrap throws AdminApiError carrying the status and the server's problem", async () => {
    const admin = createAdminClient({ baseUrl, getToken: () => "kwa_x" });
    const error = await unwrap(admin.PUT("/api/secrets/{name}/value", { params: { path: { name: "STALE" } }, body: { value: "v", expectedVersion: 1 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(409);
    expect((error as AdminApiError).problem).toMatchObject({ title: "Version conflict", code: "version_conflict" });
    expect((error as AdminApiError).message).toBe("expected version 1, current 2");
  });

  it("unwrapChange tells a done change from one held as a change request (202)", async () => {
    const admin = createAdminClient({ baseUrl, getToken: () => "kwa_x" });
    const done = await unwrapChange(admin.PUT("/api/secrets/{name}/value", { params: { path: { name: "OK" } }, body: { value: "v" } }));
    expect(done).toEqual({ kind: "done", data: { name: "OK", environment: "development", version: 2 } });
    const held = await unwrapChange(admin.PUT("/api/secrets/{name}/value", { params: { path: { name: "HELD" } }, body: { value: "v" } }));
    expect(held).toMatchObject({ kind: "held", changeRequest: { id: "cr_1", status: "pending" } });
  });
});
