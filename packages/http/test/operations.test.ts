import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, startApi, type Api } from "./harness.js";

describe("operations and request hygiene", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ http: { cors: { origins: ["https://admin.example.com"] }, maxBodyBytes: 4096 } });
  });
  afterAll(async () => api?.close());

  it("answers /healthz, /readyz and /metrics without a token", async () => {
    expect((await api.call("GET", "/healthz", { token: null })).json).toEqual({ status: "ok" });
    expect((await api.call("GET", "/readyz", { token: null })).json).toEqual({ status: "ready", checks: { database: "ok" } });
    await api.call("GET", "/api/secrets");
    await api.call("GET", "/api/secrets?limit=0");
    const metrics = await api.call("GET", "/metrics", { token: null });
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain("# TYPE keyward_http_requests_total counter");
    expect(metrics.text).toMatch(/keyward_http_requests_total\{method="GET",route="\/api\/secrets",status="200"\} [1-9]/);
    expect(metrics.text).toMatch(/keyward_http_requests_total\{method="GET",route="\/api\/secrets",status="400"\} 1/);
    expect(metrics.text).toMatch(/keyward_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",status="200",le="\+Inf"\} 1/);
    expect(metrics.text).toMatch(/keyward_http_request_duration_seconds_count\{method="GET",route="\/readyz",status="200"\} 1/);
    // Every exposition line is a comment or `name{labels} number`.
    for (const line of metrics.text.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) .+|[a-z_]+\{[^}]*\} [0-9.e+-]+)$/);
  });

  it("gives every response a request id, and keeps a safe incoming one", async () => {
    const a = await api.call("GET", "/healthz", { token: null });
    const b = await api.call("GET", "/nope");
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.requestId).not.toBe(a.requestId);
    expectProblem(b, 404);
    expect((await api.call("GET", "/healthz", { headers: { "x-request-id": "trace-123" } })).requestId).toBe("trace-123");
    expect((await api.call("GET", "/healthz", { headers: { "x-request-id": "bad id\twith spaces" } })).requestId).not.toContain("bad");
  });

  it("names the field at fault, and limits body size and media type", async () => {
    await api.call("POST", "/api/secrets", { body: { name: "HYGIENE" } });
    expectProblem(await api.call("PUT", "/api/secrets/HYGIENE/value", { body: "{not json" }), 400, "body");
    expectProblem(await api.call("PUT", "/api/secrets/HYGIENE/value", { body: "x", contentType: "text/plain" }), 415, "content-type");
    expectProblem(await api.call("PUT", "/api/secrets/HYGIENE/value", { body: { value: "x".repeat(5000) } }), 413);
    expectProblem(await api.call("PUT", "/api/secrets/HYGIENE/value"), 400, "body");
    expectProblem(await api.call("PUT", "/api/secrets/HYGIENE/value", { body: [1] }), 400, "body");
    // fetch will not send a GET with a body, so this one goes through node:http.
    const getWithBody = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(api.base + "/api/secrets", { method: "GET", headers: { authorization: `Bearer ${api.tokens.owner}`, "content-type": "application/json", "content-length": "7" } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end('{"a":1}');
    });
    expect(getWithBody.status).toBe(400);
    expect(JSON.parse(getWithBody.body)).toMatchObject({ field: "body", detail: expect.stringContaining("takes no body") });
    expectProblem(await api.call("GET", "/api/secrets?unknown=1"), 400, "unknown");
    expectProblem(await api.call("GET", "/api/secrets/%E0%A4%A"), 400, "name");
    const wrongMethod = await api.call("DELETE", "/api/secrets");
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });

  it("allows only configured CORS origins", async () => {
    const preflight = await api.call("OPTIONS", "/api/secrets", { token: null, headers: { origin: "https://admin.example.com", "access-control-request-method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const simple = await api.call("GET", "/api/secrets", { headers: { origin: "https://admin.example.com" } });
    expect(simple.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect(simple.headers.get("access-control-expose-headers")).toBe("x-request-id");
    const other = await api.call("GET", "/api/secrets", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expectProblem(await api.call("OPTIONS", "/api/secrets", { token: null, headers: { origin: "https://evil.example", "access-control-request-method": "GET" } }), 403, "origin");
  });

  it("reports not ready when the database is unreachable", async () => {
    const lone = await startApi();
    await lone.kdb.close();
    const r = await lone.call("GET", "/readyz", { token: null });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ status: "not_ready", checks: { database: "unreachable" } });
    await lone.close().catch(() => undefined);
  });
});
