import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

// Issue #20: the spec bounds every integer, length and date, and the server enforces it, so a value
// the database cannot hold is a 400 naming the field on both back-ends (they reached a query before).

describe.each(backends)("spec bounds on %s", (backend) => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend });
    expect((await api.call("POST", "/api/secrets", { body: { name: "BOUNDED", value: "v1" } })).status).toBe(201);
  });
  afterAll(async () => api?.close());

  it("refuses versions a 32-bit column cannot hold", async () => {
    for (const toVersion of [2 ** 31, 2 ** 63, 1e308]) expectProblem(await api.call("POST", "/api/secrets/BOUNDED/rollback", { body: { toVersion } }), 400, "toVersion");
    expectProblem(await api.call("POST", "/api/secrets/BOUNDED/rollback", { body: { toVersion: 1, expectedVersion: 2 ** 31 } }), 400, "expectedVersion");
    expectProblem(await api.call("PUT", "/api/secrets/BOUNDED/value", { body: { value: "v2", expectedVersion: 2 ** 31 } }), 400, "expectedVersion");
    // The largest int4 is in range: it answers as a missing version, not a crash.
    expect((await api.call("POST", "/api/secrets/BOUNDED/rollback", { body: { toVersion: 2 ** 31 - 1 } })).status).toBeLessThan(500);
  });

  it("refuses dates outside 1970..9999 and impossible dates, the same way on both back-ends", async () => {
    for (const bad of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "not-a-date", "2026-01-01", "+010000-01-01T00:00:00Z", "9999-12-31T23:59:59-08:00", "1970-01-01T00:00:00+01:00"]) {
      for (const field of ["from", "to"]) {
        expectProblem(await api.call("GET", `/api/audit?${field}=${encodeURIComponent(bad)}`), 400, field);
        expectProblem(await api.call("GET", `/api/audit/export?format=csv&${field}=${encodeURIComponent(bad)}`), 400, field);
      }
    }
    expect((await api.call("GET", `/api/audit?from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59Z`)).status).toBe(200);
    const token = await api.call("GET", "/api/service-tokens");
    expect(token.status).toBe(200);
  });

  it("refuses a leap second that the server could not turn into a time", async () => {
    expectProblem(await api.call("GET", `/api/audit?from=${encodeURIComponent("2016-12-31T23:59:60Z")}`), 400, "from");
    expect(api.logs()).not.toMatch(/"level":50/);
  });

  it("refuses a cursor that is not base64url with 400 naming cursor", async () => {
    for (const c of ["%00", "a%20b", "x".repeat(513), "=="]) expectProblem(await api.call("GET", `/api/secrets?cursor=${c}`), 400, "cursor");
  });
});
