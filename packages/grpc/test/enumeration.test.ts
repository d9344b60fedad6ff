import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideAccessRequest } from "@keyward/db";
import type { GetSecretRequest, GetSecretResponse, RegisterTokenRequest, RegisterTokenResponse, SecretsServiceClient } from "@keyward/proto";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { bearer, freshPglite, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer , environmentId } from "./harness.js";

// Issue #12 §7: an approved service cannot tell a missing secret from one it was not granted, and
// cannot record stubs or access requests without limit.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(await freshPglite(), { maxPendingRequestsPerService: 3 });
});
afterAll(() => t.close());

const getSecret = (client: SecretsServiceClient, name: string, token: string) => unary<GetSecretRequest, GetSecretResponse>(client.getSecret.bind(client), { name, description: "test" }, bearer(token));

describe("what a service learns about names it may not read", () => {
  it("answers a missing secret exactly as an existing one it was not granted", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "prober", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "EXISTS_NOT_GRANTED", serviceName: "someone-else", value: "hidden", access: "granted" });
    const existing = await getSecret(t.client, "EXISTS_NOT_GRANTED", token);
    const missing = await getSecret(t.client, "DOES_NOT_EXIST", token);
    const shape = (r: typeof existing, name: string) => [r.err?.code, reasonOf(r.err), r.err?.details.replaceAll(name, "<name>")];
    expect(shape(existing, "EXISTS_NOT_GRANTED")).toEqual([status.PERMISSION_DENIED, "access_pending", "access to <name> is waiting for an admin's approval"]);
    expect(shape(missing, "DOES_NOT_EXIST")).toEqual(shape(existing, "EXISTS_NOT_GRANTED"));
    // Asking again answers the same, and each name recorded one request (and the missing one a stub).
    expect(shape(await getSecret(t.client, "DOES_NOT_EXIST", token), "DOES_NOT_EXIST")).toEqual(shape(existing, "EXISTS_NOT_GRANTED"));
    const requests = await t.kdb.db.selectFrom("access_requests").select("secret_name").where("service_name", "=", "prober").orderBy("secret_name").execute();
    expect(requests.map((r) => r.secret_name)).toEqual(["DOES_NOT_EXIST", "EXISTS_NOT_GRANTED"]);
    expect(await t.kdb.db.selectFrom("secrets").select("status").where("name", "=", "DOES_NOT_EXIST").executeTakeFirst()).toEqual({ status: "stub" });
  });

  it("caps a service's pending requests: past the cap nothing is recorded, for missing and existing names alike", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "squatter", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "CAP_EXISTS", serviceName: "owner", value: "v", access: "granted" });
    for (const name of ["CAP_ONE", "CAP_TWO", "CAP_THREE"]) expect(reasonOf((await getSecret(t.client, name, token)).err)).toBe("access_pending");
    const before = await tableCounts(t.kdb.db);
    const overMissing = await getSecret(t.client, "CAP_FOUR", token);
    const overExisting = await getSecret(t.client, "CAP_EXISTS", token);
    for (const r of [overMissing, overExisting]) {
      expect([r.err?.code, reasonOf(r.err)]).toEqual([status.RESOURCE_EXHAUSTED, "request_limit"]);
      expect(r.err?.details).toMatch(/^this service has 3 access requests waiting for an admin; nothing new was recorded for CAP_(FOUR|EXISTS)$/);
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    // A name it already asked for still answers as before; once an admin decides one, a new name is recorded again.
    expect(reasonOf((await getSecret(t.client, "CAP_TWO", token)).err)).toBe("access_pending");
    const one = await t.kdb.db.selectFrom("access_requests").select("id").where("service_name", "=", "squatter").where("secret_name", "=", "CAP_ONE").executeTakeFirstOrThrow();
    await decideAccessRequest(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: one.id, decision: "deny", actor: "admin", at: new Date() });
    expect(reasonOf((await getSecret(t.client, "CAP_FOUR", token)).err)).toBe("access_pending");
    // Other services have their own cap.
    const { token: other } = await tokenWithStatus(t.kdb.db, "neighbour", "approved");
    expect(reasonOf((await getSecret(t.client, "CAP_FOUR", other)).err)).toBe("access_pending");
  });

  it("withholds a value whose stored ciphertext no longer matches its secret (DATA_LOSS, integrity), and logs no value", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "reader", "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "TAMPER_A", serviceName: "reader", value: "value-of-a", access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "TAMPER_B", serviceName: "reader", value: "value-of-b", access: "granted" });
    const a = await t.kdb.db.selectFrom("secrets").select("id").where("name", "=", "TAMPER_A").executeTakeFirstOrThrow();
    const b = await t.kdb.db.selectFrom("secret_versions").select(["ciphertext", "wrapped_key"]).innerJoin("secrets", "secrets.id", "secret_versions.secret_id").where("name", "=", "TAMPER_B").executeTakeFirstOrThrow();
    // Someone with database access copies B's ciphertext over A's (a change notification follows, as for any write).
    await t.kdb.db.updateTable("secret_versions").set({ ciphertext: b.ciphertext, wrapped_key: b.wrapped_key }).where("secret_id", "=", a.id).execute();
    await t.kdb.db.updateTable("secrets").set({ updated_at: new Date() }).where("id", "=", a.id).execute();
    const read = await getSecret(t.client, "TAMPER_A", token);
    expect([read.err?.code, reasonOf(read.err)]).toEqual([status.DATA_LOSS, "integrity"]);
    expect(t.logs()).toContain("stored value failed its integrity check");
    expect(t.logs()).not.toContain("value-of-");
    expect((await getSecret(t.client, "TAMPER_B", token)).res?.value).toBe("value-of-b");
  });

  it("answers a control character in a description or a service version with INVALID_ARGUMENT, not INTERNAL, and records nothing", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "texty", "approved");
    const before = await tableCounts(t.kdb.db);
    const nul = await unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name: "NUL_STUB", description: "a\u0000b" }, bearer(token));
    expect([nul.err?.code, reasonOf(nul.err), nul.err?.details]).toEqual([status.INVALID_ARGUMENT, "invalid_argument", "description: contains a control character (U+0000) at position 1"]);
    const version = await unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName: "texty-new", serviceVersion: "1.0\u0000", environment: "" }, bearer(generateToken(SERVICE_TOKEN_PREFIX)));
    expect([version.err?.code, reasonOf(version.err)]).toEqual([status.INVALID_ARGUMENT, "invalid_argument"]);
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    // A multi-line description is fine.
    expect(reasonOf((await unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name: "MULTI_STUB", description: "one\ntwo" }, bearer(token))).err)).toBe("access_pending");
  });
});
