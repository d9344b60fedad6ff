// A notification can be lost while the listening connection stays up (e.g. a write that fired no
// trigger). The cache's max age bounds how long a replica keeps answering from memory anyway.
import { status, type Metadata } from "@grpc/grpc-js";
import { connectPostgres, decideAccessRequest, decideServiceToken, setSecretEnabled, setSecretValue, type Database, type KeywardDatabase } from "@keyward/db";
import type { GetSecretRequest, GetSecretResponse } from "@keyward/proto";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { bearer, freshPglite, freshPostgresUrl, reasonOf, secretFor, startTestServer, tokenWithStatus, unary, type TestServer , environmentId } from "./harness.js";

const MAX_AGE_MS = 4_000;

const toClose: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c.close();
});

/**
 * A server over a database, plus a handle whose writes fire no change trigger: PostgreSQL skips
 * ordinary triggers under session_replication_role = replica, so the notification is never sent.
 */
const setups = [
  [
    "PGlite",
    async () => {
      // One session: the setting holds for the server's statements too, which only read (and audit) here.
      const kdb = await freshPglite();
      return { kdb, silent: kdb.db, quiet: (on: boolean) => sql.raw(`set session_replication_role = ${on ? "replica" : "origin"}`).execute(kdb.db) };
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const url = await freshPostgresUrl();
      const writer = connectPostgres(url, { max: 1 });
      toClose.push(writer);
      return { kdb: connectPostgres(url, { max: 4 }), silent: writer.db, quiet: (on: boolean) => sql.raw(`set session_replication_role = ${on ? "replica" : "origin"}`).execute(writer.db) };
    },
  ],
] as const satisfies readonly (readonly [string, () => Promise<{ kdb: KeywardDatabase; silent: Kysely<Database>; quiet: (on: boolean) => Promise<unknown> }>])[];

const getSecret = (t: TestServer, name: string, md: Metadata) => unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description: "test" }, md);

/** Polls until GetSecret answers as `expected` says, for at most the max age plus slack; returns what it saw last. */
async function seenWithinBound(t: TestServer, name: string, md: Metadata, expected: (r: Awaited<ReturnType<typeof getSecret>>) => boolean) {
  const deadline = performance.now() + MAX_AGE_MS + 5_000;
  let last = await getSecret(t, name, md);
  while (!expected(last) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await getSecret(t, name, md);
  }
  return last;
}

describe.each(setups)("cache max age on %s, with the notifications lost", (_kind, setup) => {
  it("sees a new value, a disabled secret, a revoked grant and a revoked token once the cached entries are older than the max age", async () => {
    const { kdb, silent, quiet } = await setup();
    const t = await startTestServer(kdb, { cacheMaxAgeMs: MAX_AGE_MS });
    toClose.push(t);
    // Three services, so that each change is seen on its own: values, a grant, a token.
    const reader = await tokenWithStatus(kdb.db, "aged-reader", "approved");
    const granted = await tokenWithStatus(kdb.db, "aged-granted", "approved");
    const holder = await tokenWithStatus(kdb.db, "aged-holder", "approved");
    await secretFor(kdb.db, t.envelope, { name: "AGED", serviceName: "aged-reader", value: "v1", access: "granted" });
    await secretFor(kdb.db, t.envelope, { name: "AGED_OFF", serviceName: "aged-reader", value: "on", access: "granted" });
    const { requestId } = await secretFor(kdb.db, t.envelope, { name: "AGED_GRANTED", serviceName: "aged-granted", value: "g", access: "granted" });
    await secretFor(kdb.db, t.envelope, { name: "AGED_HELD", serviceName: "aged-holder", value: "h", access: "granted" });
    const reads = [
      ["AGED", bearer(reader.token)],
      ["AGED_OFF", bearer(reader.token)],
      ["AGED_GRANTED", bearer(granted.token)],
      ["AGED_HELD", bearer(holder.token)],
    ] as const;
    const before = await Promise.all(reads.map(([name, md]) => getSecret(t, name, md)));
    expect(before.map((r) => r.res?.value)).toEqual(["v1", "on", "g", "h"]);

    await quiet(true);
    await setSecretValue(silent, t.envelope, { environmentId: await environmentId(silent), name: "AGED", value: "v2", actor: "admin", at: new Date() });
    await setSecretEnabled(silent, { environmentId: await environmentId(silent), name: "AGED_OFF", enabled: false, actor: "admin", at: new Date() });
    await decideAccessRequest(silent, { environmentId: await environmentId(silent), id: requestId, decision: "revoke", actor: "admin", at: new Date() });
    await decideServiceToken(silent, { environmentId: await environmentId(silent), id: holder.id, decision: "revoke", actor: "admin", at: new Date() });
    await quiet(false);
    // No notification reached the server: it still answers from memory...
    const stale = await Promise.all(reads.map(([name, md]) => getSecret(t, name, md)));
    expect(stale.map((r) => r.res?.value)).toEqual(["v1", "on", "g", "h"]);

    // ...until the entries are older than the max age.
    const [value, disabled, grant, token] = await Promise.all([
      seenWithinBound(t, "AGED", reads[0][1], (r) => r.res?.version === 2),
      seenWithinBound(t, "AGED_OFF", reads[1][1], (r) => r.err !== undefined),
      seenWithinBound(t, "AGED_GRANTED", reads[2][1], (r) => r.err !== undefined),
      seenWithinBound(t, "AGED_HELD", reads[3][1], (r) => r.err !== undefined),
    ]);
    expect(value.res).toMatchObject({ value: "v2", version: 2 });
    expect([disabled.err?.code, reasonOf(disabled.err)]).toEqual([status.FAILED_PRECONDITION, "secret_disabled"]);
    expect([grant.err?.code, reasonOf(grant.err)]).toEqual([status.PERMISSION_DENIED, "access_revoked"]);
    expect([token.err?.code, reasonOf(token.err)]).toEqual([status.PERMISSION_DENIED, "token_revoked"]);
  });
});
