// Issue #13: a token is bound to one environment, and everything it does is scoped to it: reads,
// grants, stubs, the read cache and WatchSecrets. RegisterToken refuses another environment for a
// known token (environment_mismatch) and a name the instance does not have (unknown_environment).
// PGlite and PostgreSQL.
import { status, type ClientReadableStream, type Metadata, type ServiceError } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { decideServiceToken, getSecretByName, setSecretValue } from "@keyward/db";
import {
  ChangeKind,
  type GetSecretRequest,
  type GetSecretResponse,
  type RegisterTokenRequest,
  type RegisterTokenResponse,
  type WatchSecretsResponse,
  TokenStatus,
} from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, bothDatabases, environmentId, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer } from "./harness.js";

describe.each(bothDatabases)("environments over gRPC on %s", (_name, database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(await database());
  });
  afterAll(async () => t?.close());

  const register = (serviceName: string, environment: string, md: Metadata) =>
    unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName, serviceVersion: "1.0.0", environment }, md);
  const getSecret = (name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);
  const setValue = async (environment: string, name: string, value: string) =>
    setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db, environment), name, value, actor: "admin", at: new Date() });

  it("reads each environment's own value of the same secret, with the token's environment in the audit rows", async () => {
    const svc = "env-reader";
    const dev = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "development");
    const prod = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "production");
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_API_KEY", serviceName: svc, value: "dev-value", access: "granted", environment: "development" });
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_API_KEY", serviceName: svc, value: "prod-value", access: "granted", environment: "production" });
    // Twice each: the second read comes from the cache, which must keep the environments apart too.
    for (let i = 0; i < 2; i++) {
      expect((await getSecret("ENV_API_KEY", bearer(dev.token))).res).toMatchObject({ value: "dev-value", version: 1 });
      expect((await getSecret("ENV_API_KEY", bearer(prod.token))).res).toMatchObject({ value: "prod-value", version: 1 });
    }
    // A new production value invalidates production's cached value only.
    await setValue("production", "ENV_API_KEY", "prod-value-2");
    for (let i = 0; i < 200; i++) {
      if ((await getSecret("ENV_API_KEY", bearer(prod.token))).res?.value === "prod-value-2") break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await getSecret("ENV_API_KEY", bearer(prod.token))).res).toMatchObject({ value: "prod-value-2", version: 2 });
    expect((await getSecret("ENV_API_KEY", bearer(dev.token))).res).toMatchObject({ value: "dev-value", version: 1 });
    const rows = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "environment"]).where("action", "=", "secret.read").where("target", "=", "secret:ENV_API_KEY").execute();
    expect(new Set(rows.map((r) => `${r.actor_id.split("#")[1]}:${r.environment}`))).toEqual(new Set([`${dev.id}:development`, `${prod.id}:production`]));
  });

  it("a grant in one environment does not open another; a missing secret is stubbed in the caller's environment only", async () => {
    const svc = "env-granted";
    const staging = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "staging");
    const prod = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "production");
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_GRANTED", serviceName: svc, value: "staging-value", access: "granted", environment: "staging" });
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_GRANTED", serviceName: "someone-else", value: "prod-value", access: "granted", environment: "production" });
    expect((await getSecret("ENV_GRANTED", bearer(staging.token))).res?.value).toBe("staging-value");
    const refused = await getSecret("ENV_GRANTED", bearer(prod.token));
    expect([refused.err?.code, reasonOf(refused.err)]).toEqual([status.PERMISSION_DENIED, "access_pending"]);
    expect(JSON.stringify(refused)).not.toMatch(/prod-value|staging-value/);
    const request = await t.kdb.db
      .selectFrom("access_requests")
      .select(["status", "environment_id"])
      .where("service_name", "=", svc)
      .where("secret_name", "=", "ENV_GRANTED")
      .orderBy("status")
      .execute();
    expect(request).toEqual([
      { status: "granted", environment_id: await environmentId(t.kdb.db, "staging") },
      { status: "pending", environment_id: await environmentId(t.kdb.db, "production") },
    ]);

    // A name no environment has: a stub in production only.
    expect(reasonOf((await getSecret("ENV_ONLY_PROD", bearer(prod.token))).err)).toBe("access_pending");
    expect(await getSecretByName(t.kdb.db, { environmentId: await environmentId(t.kdb.db, "production"), name: "ENV_ONLY_PROD" })).toMatchObject({ status: "stub" });
    expect(await getSecretByName(t.kdb.db, { environmentId: await environmentId(t.kdb.db, "staging"), name: "ENV_ONLY_PROD" })).toBeUndefined();
  });

  it("streams to a watch only the changes of its token's environment", async () => {
    const svc = "env-watcher";
    const dev = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "development");
    const prod = await tokenWithStatus(t.kdb.db, svc, "approved", undefined, "production");
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_WATCHED", serviceName: svc, value: "d1", access: "granted", environment: "development" });
    await secretFor(t.kdb.db, t.envelope, { name: "ENV_WATCHED", serviceName: svc, value: "p1", access: "granted", environment: "production" });
    const stream: ClientReadableStream<WatchSecretsResponse> = t.client.watchSecrets({ names: [] }, bearer(prod.token));
    const events: WatchSecretsResponse[] = [];
    stream.on("data", (e: WatchSecretsResponse) => events.push(e));
    const ended = new Promise<ServiceError | null>((resolve) => stream.on("error", (err: ServiceError) => resolve(err)));
    await new Promise<void>((resolve) => stream.on("metadata", () => resolve()));

    await setValue("development", "ENV_WATCHED", "d2");
    await setValue("production", "ENV_WATCHED", "p2");
    for (let i = 0; i < 400 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    // Events keep their order: the first one proves development's change was not streamed.
    expect(events[0]).toEqual({ name: "ENV_WATCHED", version: 2, kind: ChangeKind.CHANGE_KIND_VALUE_SET });
    await setValue("production", "ENV_WATCHED", "p3");
    for (let i = 0; i < 400 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(events).toEqual([
      { name: "ENV_WATCHED", version: 2, kind: ChangeKind.CHANGE_KIND_VALUE_SET },
      { name: "ENV_WATCHED", version: 3, kind: ChangeKind.CHANGE_KIND_VALUE_SET },
    ]);
    // Revoking the development token does not end production's stream.
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db, "development"), id: dev.id, decision: "revoke", actor: "admin", at: new Date() });
    await setValue("production", "ENV_WATCHED", "p4");
    for (let i = 0; i < 400 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 25));
    expect(events[2]).toEqual({ name: "ENV_WATCHED", version: 4, kind: ChangeKind.CHANGE_KIND_VALUE_SET });
    stream.cancel();
    expect((await ended)?.code).toBe(status.CANCELLED);
  });

  it("binds a new token to the named environment, or the default one when none is named", async () => {
    const named = generateToken(SERVICE_TOKEN_PREFIX);
    expect((await register("env-reg", "staging", bearer(named))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    const unnamed = generateToken(SERVICE_TOKEN_PREFIX);
    expect((await register("env-reg", "", bearer(unnamed))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    const rows = await t.kdb.db.selectFrom("service_tokens").select(["environment_id", "id"]).where("service_name", "=", "env-reg").orderBy("requested_at").execute();
    expect(rows.map((r) => r.environment_id)).toEqual([await environmentId(t.kdb.db, "staging"), await environmentId(t.kdb.db, "development")]);
    const created = await t.kdb.db.selectFrom("audit_log").select("environment").where("action", "=", "token.register").where("target", "=", `token:${rows[0]!.id}`).execute();
    expect(created).toEqual([{ environment: "staging" }]);
    // A known token stating no environment keeps its own.
    expect((await register("env-reg", "", bearer(named))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    expect((await register("env-reg", "staging", bearer(named))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
  });

  it("refuses a known token registered for another environment, and an unknown environment, changing nothing", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    expect((await register("env-refused", "production", bearer(token))).res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    const before = await tableCounts(t.kdb.db);

    const mismatch = await register("env-refused", "development", bearer(token));
    expect([mismatch.err?.code, reasonOf(mismatch.err)]).toEqual([status.FAILED_PRECONDITION, "environment_mismatch"]);
    expect(mismatch.err?.details).toMatch(/bound to environment production, not development/);
    expect(mismatch.err?.details).not.toContain(token);

    for (const bad of ["nowhere", "Production", "x".repeat(300), "prod;drop"]) {
      const unknown = await register("env-refused", bad, bearer(generateToken(SERVICE_TOKEN_PREFIX)));
      expect([unknown.err?.code, reasonOf(unknown.err)], bad).toEqual([status.INVALID_ARGUMENT, "unknown_environment"]);
      expect(unknown.err?.details).toMatch(/^environment: this instance has no environment named/);
    }
    const after = await tableCounts(t.kdb.db);
    // Only audit rows were written; the token is still bound to production.
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    const row = await t.kdb.db.selectFrom("service_tokens").select("environment_id").where("service_name", "=", "env-refused").executeTakeFirstOrThrow();
    expect(row.environment_id).toBe(await environmentId(t.kdb.db, "production"));
    const refusals = await t.kdb.db.selectFrom("audit_log").select(["reason", "result"]).where("action", "=", "token.register").where("result", "=", "refused").execute();
    expect(refusals.map((r) => r.reason)).toContain("environment_mismatch");
    expect(refusals.map((r) => r.reason)).toContain("unknown_environment");
    expect(t.logs()).not.toContain(token);
  });
});
