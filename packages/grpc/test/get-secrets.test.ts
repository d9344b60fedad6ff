import { randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { Reason, type GetSecretsResponse, type SecretRef } from "@keyward/proto";
import { verifyAuditChain } from "@keyward/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { bearer, freshPglite, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer } from "./harness.js";

let t: TestServer;
const VALUE_A = "a_" + randomBytes(12).toString("hex");
const VALUE_B = "b_" + randomBytes(12).toString("hex");

beforeAll(async () => {
  t = await startTestServer(await freshPglite());
});
afterAll(async () => t?.close());

const getSecrets = (secrets: SecretRef[], md = bearer()) => unary<{ secrets: SecretRef[] }, GetSecretsResponse>(t.client.getSecrets.bind(t.client), { secrets }, md);
const ref = (name: string, description = "test") => ({ name, description });

describe("GetSecrets over loopback gRPC", () => {
  it("answers one result per name, in request order, with GetSecret's semantics per name", async () => {
    const svc = "batch-svc";
    const { token } = await tokenWithStatus(t.kdb.db, svc, "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "B_GRANTED", serviceName: svc, value: VALUE_B, access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "A_GRANTED", serviceName: svc, value: VALUE_A, access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "PENDING_ONE", serviceName: svc, value: "x", access: "pending" });
    await secretFor(t.kdb.db, t.envelope, { name: "DENIED_ONE", serviceName: svc, value: "x", access: "denied" });
    await secretFor(t.kdb.db, t.envelope, { name: "REVOKED_ONE", serviceName: svc, value: "x", access: "revoked" });
    await secretFor(t.kdb.db, t.envelope, { name: "NO_VALUE_ONE", serviceName: svc, access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "DISABLED_ONE", serviceName: svc, value: "x", access: "granted" });
    await t.kdb.db.updateTable("secrets").set({ status: "disabled" }).where("name", "=", "DISABLED_ONE").execute();
    const auditBefore = (await tableCounts(t.kdb.db)).audit_log!;

    const names = ["B_GRANTED", "NEW_ONE", "A_GRANTED", "PENDING_ONE", "DENIED_ONE", "REVOKED_ONE", "NO_VALUE_ONE", "DISABLED_ONE", "bad name"];
    const { res, err } = await getSecrets(names.map((n) => ref(n, `about ${n}`)), bearer(token));
    expect(err).toBeUndefined();
    expect(res!.results.map((r) => r.name)).toEqual(names);
    expect(res!.results.map((r) => Reason[r.reason])).toEqual([
      "REASON_UNSPECIFIED",
      "REASON_ACCESS_PENDING",
      "REASON_UNSPECIFIED",
      "REASON_ACCESS_PENDING",
      "REASON_ACCESS_DENIED",
      "REASON_ACCESS_REVOKED",
      "REASON_SECRET_NO_VALUE",
      "REASON_SECRET_DISABLED",
      "REASON_INVALID_NAME",
    ]);
    expect(res!.results[0]).toMatchObject({ value: VALUE_B, version: 1, message: "" });
    expect(res!.results[2]).toMatchObject({ value: VALUE_A, version: 1 });
    for (const r of res!.results.filter((x) => x.reason !== Reason.REASON_UNSPECIFIED)) {
      expect(r).toMatchObject({ value: "", version: 0 });
      expect(r.message.length).toBeGreaterThan(0);
    }
    // The missing name became a stub with the caller's description, and one access request.
    expect(await t.kdb.db.selectFrom("secrets").innerJoin("secret_definitions as d", "d.name", "secrets.name").select(["secrets.status", "d.description"]).where("secrets.name", "=", "NEW_ONE").executeTakeFirst()).toEqual({ status: "stub", description: "about NEW_ONE" });
    // The names read share one row (in request order, counted); each refused name has its own row
    // with its reason. Every name is in the log; the chain still verifies.
    const audit = await t.kdb.db.selectFrom("audit_log").select(["target", "result", "reason", "count"]).where("seq", ">", auditBefore).where("action", "=", "secret.read").execute();
    expect(audit.filter((a) => a.result === "ok")).toEqual([{ target: "secrets:B_GRANTED,A_GRANTED", result: "ok", reason: null, count: 2 }]);
    const refused = audit.filter((a) => a.result === "refused");
    expect(refused.map((a) => a.target).sort()).toEqual(names.filter((n) => !n.endsWith("_GRANTED")).map((n) => `secret:${n}`).sort());
    expect(refused.find((a) => a.target === "secret:DENIED_ONE")?.reason).toBe("access_denied");
    expect(audit).toHaveLength(names.length - 1);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });

    // Asking again records no second access request and no second stub.
    const requestsBefore = (await tableCounts(t.kdb.db)).access_requests;
    await getSecrets(names.map((n) => ref(n)), bearer(token));
    expect((await tableCounts(t.kdb.db)).access_requests).toBe(requestsBefore);
    expect(t.logs()).not.toContain(VALUE_A);
    expect(t.logs()).not.toContain(VALUE_B);
    expect(t.logs()).not.toContain(token);
    // One log line per call, not per name.
    const lines = t.logs().trim().split("\n").map((l) => JSON.parse(l) as { msg: string; rpc?: string; code?: string });
    expect(lines.filter((l) => l.msg === "grpc call" && l.rpc === "GetSecrets").map((l) => l.code)).toEqual(["OK", "OK"]);
  });

  it("refuses a duplicate name or more than 100 names with INVALID_ARGUMENT and writes only audit", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "dup-svc", "approved");
    const before = await tableCounts(t.kdb.db);
    const dup = await getSecrets([ref("SAME_NAME"), ref("OTHER_NAME"), ref("SAME_NAME")], bearer(token));
    expect(dup.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(reasonOf(dup.err)).toBe("invalid_argument");
    expect(dup.err?.details).toMatch(/secrets\[2\].*SAME_NAME.*more than once/);

    const many = await getSecrets(Array.from({ length: 101 }, (_, i) => ref(`NAME_${i}`)), bearer(token));
    expect(many.err?.code).toBe(status.INVALID_ARGUMENT);
    expect(many.err?.details).toMatch(/at most 100 names.*101/);

    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(before.audit_log! + 2);
  });

  it("accepts exactly 100 names and an empty batch", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "hundred-svc", "approved");
    const hundred = await getSecrets(Array.from({ length: 100 }, (_, i) => ref(`HUNDRED_${i}`)), bearer(token));
    expect(hundred.res?.results).toHaveLength(100);
    expect(hundred.res!.results.every((r) => r.reason === Reason.REASON_ACCESS_PENDING)).toBe(true);
    const empty = await getSecrets([], bearer(token));
    expect(empty.res?.results).toEqual([]);
  });

  it("fails the whole call for token problems, with the reason trailer", async () => {
    const pending = await tokenWithStatus(t.kdb.db, "pending-svc", "pending");
    const revoked = await tokenWithStatus(t.kdb.db, "revoked-svc", "revoked");
    const cases = [
      [bearer(), status.UNAUTHENTICATED, "token_missing"],
      [bearer(undefined, "Basic x"), status.UNAUTHENTICATED, "token_malformed"],
      [bearer(generateToken(SERVICE_TOKEN_PREFIX)), status.UNAUTHENTICATED, "token_unknown"],
      [bearer(pending.token), status.PERMISSION_DENIED, "token_pending"],
      [bearer(revoked.token), status.PERMISSION_DENIED, "token_revoked"],
    ] as const;
    const before = await tableCounts(t.kdb.db);
    for (const [md, code, why] of cases) {
      const { err } = await getSecrets([ref("ANY_NAME")], md);
      expect(err?.code).toBe(code);
      expect(reasonOf(err)).toBe(why);
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });
});
