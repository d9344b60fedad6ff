import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope, createLogger, generateToken, kekFromKey, SERVICE_TOKEN_PREFIX, systemClock } from "@keyward/common";
import { decideAccessRequest, decideServiceToken, listAccessRequests, listServiceTokens, migrateToLatest, setSecretValue, verifyAuditChain, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { SecretsServiceClient, TokenStatus, type GetSecretResponse } from "@keyward/proto";
import { REASON_TRAILER, startGrpcServer, type RunningGrpcServer } from "../src/index.js";

const VALUE = "sk_live_" + randomBytes(12).toString("hex");
const auditKey = randomBytes(32);
const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
let logText = "";
let kdb: KeywardDatabase;
let server: RunningGrpcServer;
let client: SecretsServiceClient;

beforeAll(async () => {
  kdb = wrapPglite(await PGlite.create());
  await migrateToLatest(kdb.db);
  const destination = new Writable({ write: (chunk, _enc, cb) => ((logText += chunk.toString()), cb()) });
  const logger = createLogger({ destination, level: "debug" });
  server = await startGrpcServer({ db: kdb.db, envelope, auditKey, logger, clock: systemClock }, { host: "127.0.0.1", port: 0 });
  client = new SecretsServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.close();
  await kdb?.close();
});

const md = (token?: string, raw?: string) => {
  const m = new Metadata();
  if (raw !== undefined) m.set("authorization", raw);
  else if (token) m.set("authorization", `Bearer ${token}`);
  return m;
};
const getSecret = (name: string, meta: Metadata) =>
  new Promise<{ res?: GetSecretResponse; err?: ServiceError }>((resolve) =>
    client.getSecret({ name, description: "Stripe API key" }, meta, (err, res) => resolve(err ? { err } : { res })),
  );
const reason = (err?: ServiceError) => err?.metadata.get(REASON_TRAILER)[0];

describe("GetSecret over loopback gRPC", () => {
  it("walks the whole flow: register, approve, stub, value, grant", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const registered = await new Promise<{ status: TokenStatus }>((resolve, reject) =>
      client.registerToken({ serviceName: "identity-service", serviceVersion: "1.0.0" }, md(token), (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(registered.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);

    const pending = await getSecret("STRIPE_API_KEY", md(token));
    expect(pending.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reason(pending.err)).toBe("token_pending");

    const [row] = await listServiceTokens(kdb.db, { status: "pending" });
    await decideServiceToken(kdb.db, { id: row!.id, decision: "approve", actor: "admin", at: new Date() });

    const missing = await getSecret("STRIPE_API_KEY", md(token));
    expect(missing.err?.code).toBe(status.NOT_FOUND);
    expect(reason(missing.err)).toBe("secret_missing");
    const stub = await kdb.db.selectFrom("secrets").selectAll().where("name", "=", "STRIPE_API_KEY").executeTakeFirstOrThrow();
    expect(stub).toMatchObject({ status: "stub", description: "Stripe API key" });

    await setSecretValue(kdb.db, envelope, { name: "STRIPE_API_KEY", value: VALUE, actor: "admin", at: new Date() });
    const denied = await getSecret("STRIPE_API_KEY", md(token));
    expect(denied.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reason(denied.err)).toBe("access_pending");
    const requests = await listAccessRequests(kdb.db, { secretName: "STRIPE_API_KEY" });
    expect(requests).toHaveLength(1);

    await decideAccessRequest(kdb.db, { id: requests[0]!.id, decision: "grant", actor: "admin", at: new Date() });
    const ok = await getSecret("STRIPE_API_KEY", md(token));
    expect(ok.res).toEqual({ name: "STRIPE_API_KEY", value: VALUE, version: 1 });
    const [granted] = await listAccessRequests(kdb.db, { secretName: "STRIPE_API_KEY" });
    expect(granted).toMatchObject({ status: "granted", access_count: 1 });
    expect(granted?.last_accessed_at).toBeInstanceOf(Date);

    const audit = await kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).orderBy("seq").execute();
    expect(audit.map((a) => `${a.action}:${a.result}:${a.reason ?? ""}`)).toEqual([
      "token.register:created:",
      "secret.read:refused:token_pending",
      "secret.read:refused:secret_missing",
      "secret.read:refused:access_pending",
      "secret.read:ok:",
    ]);
    expect(await verifyAuditChain(kdb.db, auditKey)).toMatchObject({ ok: true });

    // Neither the value nor the token reaches the log.
    expect(logText).toContain("secret.read");
    expect(logText).not.toContain(VALUE);
    expect(logText).not.toContain(token);
  });

  it("refuses missing, malformed and unknown tokens as UNAUTHENTICATED with a reason", async () => {
    const cases: [Metadata, string][] = [
      [md(), "token_missing"],
      [md(undefined, "Basic abc"), "token_malformed"],
      [md("kws_tooshort"), "token_malformed"],
      [md(generateToken(SERVICE_TOKEN_PREFIX)), "token_unknown"],
    ];
    for (const [meta, why] of cases) {
      const { err } = await getSecret("STRIPE_API_KEY", meta);
      expect(err?.code).toBe(status.UNAUTHENTICATED);
      expect(reason(err)).toBe(why);
      expect(err?.details).not.toContain("kws_tooshort");
    }
  });

  it("rejects bad names with INVALID_ARGUMENT and creates nothing", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    await new Promise((resolve) => client.registerToken({ serviceName: "billing", serviceVersion: "1" }, md(token), resolve));
    const [row] = await listServiceTokens(kdb.db, { status: "pending" });
    await decideServiceToken(kdb.db, { id: row!.id, decision: "approve", actor: "admin", at: new Date() });
    const before = await kdb.db.selectFrom("secrets").select("name").execute();
    for (const name of ["", "x".repeat(10_000), "drop table secrets;--", "ÜNICODE"]) {
      const { err } = await getSecret(name, md(token));
      expect(err?.code).toBe(status.INVALID_ARGUMENT);
      expect(reason(err)).toBe("invalid_name");
    }
    expect(await kdb.db.selectFrom("secrets").select("name").execute()).toEqual(before);
  });

  it("refuses a revoked token", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    await new Promise((resolve) => client.registerToken({ serviceName: "revoked-svc", serviceVersion: "1" }, md(token), resolve));
    const [row] = await listServiceTokens(kdb.db, { status: "pending" });
    await decideServiceToken(kdb.db, { id: row!.id, decision: "revoke", actor: "admin", at: new Date() });
    const { err } = await getSecret("STRIPE_API_KEY", md(token));
    expect(err?.code).toBe(status.PERMISSION_DENIED);
    expect(reason(err)).toBe("token_revoked");
  });

  it("rejects a bad service name on RegisterToken", async () => {
    const err = await new Promise<ServiceError | null>((resolve) =>
      client.registerToken({ serviceName: "Not A Name!", serviceVersion: "1" }, md(generateToken(SERVICE_TOKEN_PREFIX)), (e) => resolve(e)),
    );
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toMatch(/service_name/);
  });
});
