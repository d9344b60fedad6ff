import { defaultEnvironmentId } from "@keyward/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, type Clock } from "@keyward/common";
import { decideServiceToken, recordServiceTokenUse, registerServiceToken } from "@keyward/db";
import { ROLES, isAllowed } from "../src/index.js";
import { backends, expectProblem, startApi, type Api } from "./harness.js";

const TOKEN = "kws_" + "g".repeat(43);
const OTHER = "kws_" + "h".repeat(43);
const DAY = 24 * 3600 * 1000;

/** A clock the test moves by hand, so "expired" is exact. */
function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

describe.each(backends)("GET /api/service-tokens/{id} on %s", (backend) => {
  let api: Api;
  const clock = manualClock(new Date("2026-06-01T12:00:00.000Z"));
  beforeAll(async () => {
    api = await startApi({ backend, clock });
  });
  afterAll(async () => {
    // Neither a service token nor its hash ever reaches a response or a log line.
    for (const secret of [TOKEN, hashToken(TOKEN), OTHER, hashToken(OTHER)]) {
      expect(api.bodies.join("\n")).not.toContain(secret);
      expect(api.logs()).not.toContain(secret);
    }
    await api?.close();
  });

  it("returns one token's metadata, the same record the list shows, and follows its changes", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken(TOKEN), serviceName: "billing", serviceVersion: "3.1.0", at: clock.now() });
    await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken(OTHER), serviceName: "other", serviceVersion: "1", at: clock.now() });

    const pending = await api.call("GET", `/api/service-tokens/${token.id}`);
    expect(pending.status, pending.text).toBe(200);
    expect(pending.type).toMatch(/^application\/json/);
    expect(pending.json).toEqual({
      id: token.id,
      serviceName: "billing",
      serviceVersion: "3.1.0",
      status: "pending",
      requestedAt: "2026-06-01T12:00:00.000Z",
      approvedAt: null,
      approvedBy: null,
      lastUsedAt: null,
      accessCount: 0,
      expiresAt: null,
      expired: false,
      registeredFrom: { address: null, certificate: null },
      sameNameApproved: 0,
      environment: "development",
    });

    const expiresAt = new Date(clock.now().getTime() + DAY);
    await decideServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), id: token.id, decision: "approve", actor: "admin:test", at: clock.now(), expiresAt });
    await recordServiceTokenUse(api.kdb.db, token.id, clock.now());
    const approved = (await api.call("GET", `/api/service-tokens/${token.id}`)).json;
    expect(approved).toMatchObject({ status: "approved", approvedBy: "admin:test", accessCount: 1, lastUsedAt: "2026-06-01T12:00:00.000Z", expiresAt: expiresAt.toISOString(), expired: false });
    const listed = (await api.call("GET", "/api/service-tokens")).json.items.find((t: { id: string }) => t.id === token.id);
    expect(approved).toEqual(listed);

    // `expired` is computed at the server's clock.
    clock.advance(DAY);
    expect((await api.call("GET", `/api/service-tokens/${token.id}`)).json).toMatchObject({ status: "approved", expired: true });

    // No field beyond the spec's, in particular no token or hash.
    expect(Object.keys(approved).sort()).toEqual(["accessCount", "approvedAt", "approvedBy", "environment", "expired", "expiresAt", "id", "lastUsedAt", "registeredFrom", "requestedAt", "sameNameApproved", "serviceName", "serviceVersion", "status"]);
  });

  it("answers an unknown id with a 404 problem naming the id, and a malformed id with a 400", async () => {
    const missing = await api.call("GET", "/api/service-tokens/no-such-token");
    expectProblem(missing, 404, "id");
    expect(missing.json.title).toBe("Service token not found");
    for (const bad of ["bad_id", "a".repeat(65), "has%20space", "dot.dot"]) {
      const r = await api.call("GET", `/api/service-tokens/${bad}`);
      expectProblem(r, 400, "id");
    }
    // Other methods on the path are refused with Allow.
    const post = await api.call("POST", "/api/service-tokens/no-such-token");
    expectProblem(post, 405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("is readable by exactly the roles that may list tokens", async () => {
    const { token } = await registerServiceToken(api.kdb.db, { environmentId: await defaultEnvironmentId(api.kdb.db), tokenHash: hashToken("kws_roles_get"), serviceName: "roles", serviceVersion: "1", at: clock.now() });
    for (const role of ROLES) {
      expect(isAllowed("getServiceToken", role), role).toBe(isAllowed("listServiceTokens", role));
      const found = await api.call("GET", `/api/service-tokens/${token.id}`, { token: api.tokens[role] });
      const missing = await api.call("GET", "/api/service-tokens/no-such-token", { token: api.tokens[role] });
      if (isAllowed("getServiceToken", role)) {
        expect(found.status, `${role}: ${found.text}`).toBe(200);
        expect(found.json).toMatchObject({ id: token.id, serviceName: "roles" });
        expectProblem(missing, 404, "id");
      } else {
        expectProblem(found, 403, "role");
        expectProblem(missing, 403, "role");
      }
    }
    expect(ROLES.filter((role) => isAllowed("getServiceToken", role))).toEqual(["owner", "admin", "operator", "viewer"]);
    expectProblem(await api.call("GET", `/api/service-tokens/${token.id}`, { token: null }), 401);
  });
});
