import { randomBytes } from "node:crypto";
import { status, type Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { decideAccessRequest, decideServiceToken, getSecretByName, setSecretValue, verifyAuditChain } from "@keyward/db";
import { TokenStatus, type GetSecretRequest, type GetSecretResponse, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import { bearer, eventually, freshPglite, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer , environmentId } from "./harness.js";

const VALUE = "sk_live_" + randomBytes(12).toString("hex");
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer(await freshPglite());
});
afterAll(async () => t?.close());

const getSecret = (name: string, md: Metadata, description = "Stripe API key") =>
  unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description }, md);
const register = (serviceName: string, md: Metadata) =>
  unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName, serviceVersion: "1.0.0", environment: "" }, md);
const tokenRow = (serviceName: string) => t.kdb.db.selectFrom("service_tokens").selectAll().where("service_name", "=", serviceName).executeTakeFirstOrThrow();
const requestRow = (secretName: string, serviceName: string) =>
  t.kdb.db.selectFrom("access_requests").selectAll().where("secret_name", "=", secretName).where("service_name", "=", serviceName).execute();

describe("GetSecret over loopback gRPC", () => {
  it("walks the whole flow: register, approve, stub, value, grant", async () => {
    const token = generateToken(SERVICE_TOKEN_PREFIX);
    const registered = await register("identity-service", bearer(token));
    expect(registered.res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);
    const again = await register("identity-service", bearer(token));
    expect(again.res?.status).toBe(TokenStatus.TOKEN_STATUS_PENDING);

    const pending = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(pending.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reasonOf(pending.err)).toBe("token_pending");

    const row = await tokenRow("identity-service");
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: row.id, decision: "approve", actor: "admin", at: new Date() });
    expect((await register("identity-service", bearer(token))).res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);

    // A missing secret answers as an ungranted one would: the service cannot tell which names exist.
    const missing = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(missing.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reasonOf(missing.err)).toBe("access_pending");
    const stub = await getSecretByName(t.kdb.db, { environmentId: await environmentId(t.kdb.db), name: "STRIPE_API_KEY" });
    expect(stub).toMatchObject({ status: "stub", description: "Stripe API key" });

    const noValue = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(reasonOf(noValue.err)).toBe("access_pending");

    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "STRIPE_API_KEY", value: VALUE, actor: "admin", at: new Date() });
    const denied = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(denied.err?.code).toBe(status.PERMISSION_DENIED);
    expect(reasonOf(denied.err)).toBe("access_pending");
    const requests = await requestRow("STRIPE_API_KEY", "identity-service");
    expect(requests).toHaveLength(1);

    // An approval is seen at once (only positive answers are cached).
    await decideAccessRequest(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: requests[0]!.id, decision: "grant", actor: "admin", at: new Date() });
    const ok = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(ok.res).toEqual({ name: "STRIPE_API_KEY", value: VALUE, version: 1 });
    const ok2 = await getSecret("STRIPE_API_KEY", bearer(token));
    expect(ok2.res).toEqual({ name: "STRIPE_API_KEY", value: VALUE, version: 1 });
    // Use counters are written off the hot path.
    await eventually(async () => (await requestRow("STRIPE_API_KEY", "identity-service"))[0]?.access_count === 2);
    const [granted] = await requestRow("STRIPE_API_KEY", "identity-service");
    expect(granted?.last_accessed_at).toBeInstanceOf(Date);
    await eventually(async () => (await tokenRow("identity-service")).access_count === 2);

    const audit = await t.kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).orderBy("seq").execute();
    expect(audit.map((a) => `${a.action}:${a.result}:${a.reason ?? ""}`)).toEqual([
      "token.register:created:",
      "token.register:pending:",
      "secret.read:refused:token_pending",
      "token.register:approved:",
      // The stub and the access request commit with their own rows, before the read's refusal.
      "secret.stub:created:",
      "access.request:created:",
      "secret.read:refused:access_pending",
      "secret.read:refused:access_pending",
      "secret.read:refused:access_pending",
      "secret.read:ok:",
      "secret.read:ok:",
    ]);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });

    // Neither the value nor the token reaches the log; each call logged one line.
    expect(t.logs()).not.toContain(VALUE);
    expect(t.logs()).not.toContain(token);
    const lines = t.logs().trim().split("\n").map((l) => JSON.parse(l) as { msg: string; rpc?: string });
    expect(lines.filter((l) => l.msg === "grpc call").map((l) => l.rpc)).toEqual([
      "RegisterToken",
      "RegisterToken",
      "GetSecret",
      "RegisterToken",
      "GetSecret",
      "GetSecret",
      "GetSecret",
      "GetSecret",
      "GetSecret",
    ]);
  });

  it("refuses missing, malformed and unknown tokens as UNAUTHENTICATED with a reason, writing only audit", async () => {
    const cases: [Metadata, string][] = [
      [bearer(), "token_missing"],
      [bearer(undefined, "Basic abc"), "token_malformed"],
      [bearer("kws_tooshort"), "token_malformed"],
      [bearer(generateToken(SERVICE_TOKEN_PREFIX)), "token_unknown"],
    ];
    const before = await tableCounts(t.kdb.db);
    for (const [md, why] of cases) {
      const { err } = await getSecret("STRIPE_API_KEY", md);
      expect(err?.code).toBe(status.UNAUTHENTICATED);
      expect(reasonOf(err)).toBe(why);
      expect(err?.details).not.toContain("kws_tooshort");
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    // Unknown callers' refusals are audited at once the first time per reason; the second
    // token_malformed waits in the window's count (identity-floods.test.ts covers the count).
    expect(after.audit_log).toBe(before.audit_log! + new Set(cases.map(([, why]) => why)).size);
  });

  it("rejects bad names with INVALID_ARGUMENT and creates nothing", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "billing", "approved");
    const before = await tableCounts(t.kdb.db);
    for (const name of ["", "x".repeat(10_000), "drop table secrets;--", "ÜNICODE"]) {
      const { err } = await getSecret(name, bearer(token));
      expect(err?.code).toBe(status.INVALID_ARGUMENT);
      expect(reasonOf(err)).toBe("invalid_name");
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });

  it("answers each refusal path with its status and reason", async () => {
    const svc = "paths-svc";
    const { token } = await tokenWithStatus(t.kdb.db, svc, "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "P_DENIED", serviceName: svc, value: "x", access: "denied" });
    await secretFor(t.kdb.db, t.envelope, { name: "P_REVOKED", serviceName: svc, value: "x", access: "revoked" });
    await secretFor(t.kdb.db, t.envelope, { name: "P_NO_VALUE", serviceName: svc, access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "P_DISABLED", serviceName: svc, value: "x", access: "granted" });
    await t.kdb.db.updateTable("secrets").set({ status: "disabled" }).where("name", "=", "P_DISABLED").execute();
    const cases = [
      ["P_DENIED", status.PERMISSION_DENIED, "access_denied"],
      ["P_REVOKED", status.PERMISSION_DENIED, "access_revoked"],
      ["P_NO_VALUE", status.NOT_FOUND, "secret_no_value"],
      ["P_DISABLED", status.FAILED_PRECONDITION, "secret_disabled"],
    ] as const;
    for (const [name, code, why] of cases) {
      const { err } = await getSecret(name, bearer(token));
      expect([name, err?.code, reasonOf(err)]).toEqual([name, code, why]);
    }
    const pendingToken = await tokenWithStatus(t.kdb.db, "pending-svc", "pending");
    const revokedToken = await tokenWithStatus(t.kdb.db, "revoked-svc", "revoked");
    expect(reasonOf((await getSecret("P_DENIED", bearer(pendingToken.token))).err)).toBe("token_pending");
    const revoked = await getSecret("P_DENIED", bearer(revokedToken.token));
    expect([revoked.err?.code, reasonOf(revoked.err)]).toEqual([status.PERMISSION_DENIED, "token_revoked"]);
  });

  it("rejects a bad service name on RegisterToken, and a missing or malformed token", async () => {
    const bad = await register("Not A Name!", bearer(generateToken(SERVICE_TOKEN_PREFIX)));
    expect(bad.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(reasonOf(bad.err)).toBe("invalid_argument");
    expect(bad.err?.details).toMatch(/service_name/);
    const none = await register("svc", bearer());
    expect([none.err?.code, reasonOf(none.err)]).toEqual([status.UNAUTHENTICATED, "token_missing"]);
    const malformed = await register("svc", bearer(undefined, "Bearer nope"));
    expect([malformed.err?.code, reasonOf(malformed.err)]).toEqual([status.UNAUTHENTICATED, "token_malformed"]);
  });
});
