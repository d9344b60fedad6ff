// Two grpc servers ("replicas") on one real PostgreSQL database: each caches tokens, grants and
// decrypted values, and each sees changes made elsewhere through LISTEN/NOTIFY.
import { status, type Metadata } from "@grpc/grpc-js";
import { connectPostgres, decideAccessRequest, decideServiceToken, setSecretValue, verifyAuditChain } from "@keyward/db";
import { ChangeKind, type GetSecretRequest, type GetSecretResponse, type WatchSecretsResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, eventually, freshPostgresUrl, reasonOf, secretFor, startTestServer, tokenWithStatus, unary, type TestServer , environmentId } from "./harness.js";

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  const url = await freshPostgresUrl();
  a = await startTestServer(connectPostgres(url, { max: 4 }));
  b = await startTestServer(connectPostgres(url, { max: 4 }), {}, { envelope: a.envelope, auditKey: a.auditKey });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const getSecret = (t: TestServer, name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);
/** Polls replica `t` until GetSecret answers as `expected` says (a bounded wait, no timing assertion). */
const until = (t: TestServer, name: string, md: Metadata, expected: (r: Awaited<ReturnType<typeof getSecret>>) => boolean) =>
  eventually(async () => expected(await getSecret(t, name, md)));

describe("two replicas on one PostgreSQL", () => {
  it("see each other's value changes, revocations and approvals", async () => {
    const svc = "replica-svc";
    const { token, id: tokenId } = await tokenWithStatus(a.kdb.db, svc, "approved");
    const { requestId } = await secretFor(a.kdb.db, a.envelope, { name: "REPLICATED", serviceName: svc, value: "v1", access: "granted" });
    const md = bearer(token);
    for (const t of [a, b]) expect((await getSecret(t, "REPLICATED", md)).res).toMatchObject({ value: "v1", version: 1 });
    // Both now hold v1 in memory.

    // A new value set through replica A's database reaches B's cache through NOTIFY.
    await setSecretValue(a.kdb.db, a.envelope, { environmentId: await environmentId(a.kdb.db), name: "REPLICATED", value: "v2", actor: "admin", at: new Date() });
    await until(b, "REPLICATED", md, (r) => r.res?.version === 2);
    expect((await getSecret(b, "REPLICATED", md)).res).toMatchObject({ value: "v2", version: 2 });

    // Revoking access (written on B's side) is seen by A.
    await decideAccessRequest(b.kdb.db, { environmentId: await environmentId(b.kdb.db), id: requestId, decision: "revoke", actor: "admin", at: new Date() });
    await until(a, "REPLICATED", md, (r) => reasonOf(r.err) === "access_revoked");
    // Granting again is seen at once: refusals are never cached.
    await decideAccessRequest(b.kdb.db, { environmentId: await environmentId(b.kdb.db), id: requestId, decision: "grant", actor: "admin", at: new Date() });
    expect((await getSecret(a, "REPLICATED", md)).res).toMatchObject({ value: "v2" });

    // Disabling the secret directly in the database (as psql would) is seen by both.
    await a.kdb.db.updateTable("secrets").set({ status: "disabled" }).where("name", "=", "REPLICATED").execute();
    for (const t of [a, b]) await until(t, "REPLICATED", md, (r) => r.err?.code === status.FAILED_PRECONDITION);
    await a.kdb.db.updateTable("secrets").set({ status: "active" }).where("name", "=", "REPLICATED").execute();
    for (const t of [a, b]) await until(t, "REPLICATED", md, (r) => r.res?.version === 2);

    // Revoking the token is seen by both.
    await decideServiceToken(a.kdb.db, { environmentId: await environmentId(a.kdb.db), id: tokenId, decision: "revoke", actor: "admin", at: new Date() });
    for (const t of [a, b]) await until(t, "REPLICATED", md, (r) => reasonOf(r.err) === "token_revoked");
  });

  it("streams a change made on one replica to a watcher on the other", async () => {
    const svc = "replica-watch";
    const { token } = await tokenWithStatus(a.kdb.db, svc, "approved");
    await secretFor(a.kdb.db, a.envelope, { name: "REPLICA_WATCHED", serviceName: svc, value: "v1", access: "granted" });
    const stream = b.client.watchSecrets({ names: ["REPLICA_WATCHED"] }, bearer(token));
    const ended = new Promise<{ code: number }>((resolve) => stream.on("error", resolve));
    const first = new Promise<WatchSecretsResponse>((resolve) => stream.once("data", resolve));
    await new Promise<void>((resolve) => stream.once("metadata", () => resolve()));
    await setSecretValue(a.kdb.db, a.envelope, { environmentId: await environmentId(a.kdb.db), name: "REPLICA_WATCHED", value: "v2", actor: "admin", at: new Date() });
    expect(await first).toEqual({ name: "REPLICA_WATCHED", version: 2, kind: ChangeKind.CHANGE_KIND_VALUE_SET });
    stream.cancel();
    expect((await ended).code).toBe(status.CANCELLED);
  });

  it("keeps one unbroken audit chain while both replicas serve concurrently", async () => {
    const svc = "replica-load";
    const { token } = await tokenWithStatus(a.kdb.db, svc, "approved");
    await secretFor(a.kdb.db, a.envelope, { name: "REPLICA_LOAD", serviceName: svc, value: "v", access: "granted" });
    const md = bearer(token);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => getSecret(i % 2 ? a : b, "REPLICA_LOAD", md)));
    expect(results.every((r) => r.res?.value === "v")).toBe(true);
    const rows = await a.kdb.db.selectFrom("audit_log").select("result").where("target", "=", "secret:REPLICA_LOAD").execute();
    expect(rows).toHaveLength(60);
    expect(await verifyAuditChain(a.kdb.db, a.auditKey)).toMatchObject({ ok: true });
  });
});
