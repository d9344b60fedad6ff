import { describe, expect, it } from "vitest";
import { expectProblem, startApi } from "./harness.js";

// Issue #12 §4: the admin API limits requests per client address, and failed sign-ins more strictly.

describe("admin API rate limits", () => {
  it("answers 429 with Retry-After past the per-address request budget; health and readiness stay answerable", async () => {
    const api = await startApi({ http: { rateLimitPerSecond: 0.001, authFailuresPerMinute: 100 } });
    try {
      // A budget of twice the rate, at least one: with 0.001/s, the first request only.
      expect((await api.call("GET", "/api/secrets")).status).toBe(200);
      const limited = await api.call("GET", "/api/secrets");
      expectProblem(limited, 429);
      expect(limited.headers.get("retry-after")).toBe("1");
      expect(limited.json.detail).toMatch(/requests per second from this address; slow down/);
      for (const path of ["/healthz", "/readyz", "/metrics"]) expect((await api.call("GET", path, { token: null })).status, path).toBe(200);
    } finally {
      await api.close();
    }
  });

  it("refuses an address that failed to sign in too often, even with a good key, until its budget refills", async () => {
    const api = await startApi({ http: { authFailuresPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++) expectProblem(await api.call("GET", "/api/secrets", { token: `kwa_${"x".repeat(43)}` }), 401);
      const blocked = await api.call("GET", "/api/secrets", { token: `kwa_${"y".repeat(43)}` });
      expectProblem(blocked, 429);
      expect(blocked.headers.get("retry-after")).toBe("20");
      expect(blocked.json.detail).toBe("too many failed sign-ins from this address; wait a minute before trying again");
      // Checked before the credentials: a guess that happens to be right gets the same answer.
      expectProblem(await api.call("GET", "/api/secrets"), 429);
      // Public operations need no sign-in and are not held back by it.
      expect((await api.call("GET", "/api/auth/config", { token: null })).status).toBe(200);
      // Successful sign-ins never use the failure budget.
      const fresh = await startApi({ http: { authFailuresPerMinute: 1 } });
      try {
        for (let i = 0; i < 5; i++) expect((await fresh.call("GET", "/api/secrets")).status).toBe(200);
      } finally {
        await fresh.close();
      }
    } finally {
      await api.close();
    }
  });

  it("names a bad option", async () => {
    await expect(startApi({ http: { rateLimitPerSecond: 0 } })).rejects.toThrow(/http option rateLimitPerSecond must be a positive number, got 0/);
  });
});
