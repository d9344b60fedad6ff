import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

// Issue #12 §7: a malformed cursor, and a NUL or other control character in a name, description or
// filter, answer 400 naming the field (they reached the database and answered 500 before).

const cursor = (key: unknown) => Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

describe.each(backends)("bad text and cursors on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => api?.close());

  it("refuses a control character in a description or a search with 400 naming the field, and stores nothing", async () => {
    const before = (await api.call("GET", "/api/secrets")).json.items.length;
    expectProblem(await api.call("POST", "/api/secrets", { body: { name: "NUL_DESC", description: "before\u0000after" } }), 400, "description");
    expectProblem(await api.call("POST", "/api/secrets", { body: { name: "BELL_DESC", description: "ring\u0007" } }), 400, "description");
    expect((await api.call("GET", "/api/secrets")).json.items.length).toBe(before);
    // Tabs and newlines are fine in a description.
    expect((await api.call("POST", "/api/secrets", { body: { name: "MULTI_LINE", description: "line one\n\tline two" } })).status).toBe(201);
    expectProblem(await api.call("PATCH", "/api/secrets/MULTI_LINE", { body: { description: "x\u0000" } }), 400, "description");
    for (const [path, field] of [
      ["/api/secrets?q=a%00b", "q"],
      ["/api/service-tokens?service=svc%00", "service"],
      ["/api/access-requests?service=%00", "service"],
      ["/api/audit?action=secret%00read", "action"],
      ["/api/audit?actor=%1B%5B31m", "actor"],
      ["/api/audit?result=ok%00", "result"],
    ] as const) {
      expectProblem(await api.call("GET", path), 400, field);
    }
  });

  it("refuses a body that is not valid UTF-8, or a JSON string with an unpaired surrogate, and stores nothing altered", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "UTF8_VALUE", description: "d", value: "first" } })).status).toBe(201);
    // Latin-1 bytes (0xE4, 0xF6) where UTF-8 is expected: a lenient decode would store U+FFFD.
    const latin1 = Buffer.concat([Buffer.from('{"value":"p'), Buffer.from([0xe4]), Buffer.from("ssw"), Buffer.from([0xf6]), Buffer.from('rd"}')]);
    const res = await fetch(`${api.base}/api/secrets/UTF8_VALUE/value`, { method: "PUT", headers: { authorization: `Bearer ${api.tokens.owner}`, "content-type": "application/json" }, body: latin1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: "body", detail: expect.stringContaining("not valid UTF-8") });
    expectProblem(await api.call("PUT", "/api/secrets/UTF8_VALUE/value", { body: '{"value":"ab\\ud800cd"}' }), 400, "value");
    expectProblem(await api.call("POST", "/api/secrets", { body: '{"name":"UTF8_DESC","description":"x\\udc00"}' }), 400, "description");
    // Paired surrogates (an emoji) are valid text and are kept.
    expect((await api.call("PUT", "/api/secrets/UTF8_VALUE/value", { body: '{"value":"key-\\ud83d\\udd11"}' })).status).toBe(200);
    const versions = await api.call("GET", "/api/secrets/UTF8_VALUE/versions");
    expect(versions.json.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await api.call("GET", "/api/secrets")).json.items.map((s: { name: string }) => s.name)).not.toContain("UTF8_DESC");
  });

  it("refuses a cursor of the right shape with the wrong contents with 400 naming cursor", async () => {
    const bad = {
      "/api/service-tokens": [["not-a-date", "id"], ["", "id"], ["0000-01-01T00:00:00.000Z", "id"], ["2026-02-30T00:00:00.000Z", "id"], ["2026-01-01T00:00:00.000Z", "id\u0000"], ["2026-01-01T00:00:00Z", "id"]],
      "/api/access-requests": [["9999-99-99T99:99:99.999Z", "x"], [1, 2]],
      "/api/admin-keys": [["2026-01-01T00:00:00.000Z", "a b"]],
      "/api/audit": [[0.5], [-1], [2 ** 63], [1e308], ["1"]],
      "/api/secrets": [["lower"], ["A\u0000"]],
      "/api/missing-secrets": [["1BAD"]],
    } as const;
    for (const [path, keys] of Object.entries(bad)) {
      for (const key of keys) expectProblem(await api.call("GET", `${path}?cursor=${cursor(key)}`), 400, "cursor");
    }
    // 1e400 is Infinity in JSON.parse terms: not a seq either; nor is a cursor that is not base64url.
    expectProblem(await api.call("GET", `/api/audit?cursor=${Buffer.from("[1e400]").toString("base64url")}`), 400, "cursor");
    expectProblem(await api.call("GET", "/api/audit?cursor=%2F%2F%2F"), 400, "cursor");
    // A cursor the API returned still works.
    for (let i = 0; i < 3; i++) await api.call("POST", "/api/secrets", { body: { name: `PAGE_${i}` } });
    const first = (await api.call("GET", "/api/secrets?limit=2")).json;
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await api.call("GET", `/api/secrets?limit=2&cursor=${first.nextCursor}`)).status).toBe(200);
    expect(api.logs()).not.toMatch(/"level":50/);
  });
});
