// Issue #13 acceptance: an app that was reading a value before the environments upgrade keeps its
// token and reads the same value after it, stating no environment. The database is built by the
// migrations before 0400, filled the way the previous release did, then migrated.
import { randomBytes, randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { generateToken, hashToken, SERVICE_TOKEN_PREFIX, createEnvelope, kekFromKey } from "@keyward/common";
import { connectPostgres, migrateToLatest, migrations, wrapPglite, type KeywardDatabase } from "@keyward/db";
import { createPostgresTestDatabases } from "@keyward/db/testing";
import { TokenStatus, type GetSecretRequest, type GetSecretResponse, type RegisterTokenRequest, type RegisterTokenResponse } from "@keyward/proto";
import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { afterAll, describe, expect, it } from "vitest";
import { bearer, startTestServer, unary } from "./harness.js";

const postgres = createPostgresTestDatabases({ prefix: "keyward_grpc_upgrade" });
afterAll(() => postgres.dropAll());

const older: Record<string, (typeof migrations)[string]> = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0400"));

/** A database of the previous release: one approved token, one value it was granted. */
async function previousRelease(kdb: KeywardDatabase, envelope: ReturnType<typeof createEnvelope>) {
  const db = kdb.db as unknown as Kysely<any>;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => older }, migrationTableName: "keyward_migrations", migrationLockTableName: "keyward_migrations_lock" });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  const at = new Date();
  const token = generateToken(SERVICE_TOKEN_PREFIX);
  await db.insertInto("service_tokens").values({ id: randomUUID(), service_name: "legacy-app", service_version: "1", token_hash: hashToken(token), status: "approved", requested_at: at }).execute();
  const id = randomUUID();
  await db.insertInto("secrets").values({ id, name: "LEGACY_KEY", description: "kept", status: "active", current_version: 1, created_at: at, created_by: "admin", updated_at: at, updated_by: "admin" }).execute();
  const sealed = envelope.seal("legacy-value", id, 1, "LEGACY_KEY");
  await db.insertInto("secret_versions").values({ secret_id: id, version: 1, ciphertext: sealed.ciphertext, wrapped_key: sealed.wrappedKey, key_id: sealed.keyId, aad_version: 2, created_at: at, created_by: "admin" }).execute();
  await db.insertInto("access_requests").values({ id: randomUUID(), secret_name: "LEGACY_KEY", service_name: "legacy-app", status: "granted", requested_at: at }).execute();
  return token;
}

describe.each([
  ["PGlite", async () => wrapPglite(await PGlite.create())],
  ["PostgreSQL", async () => connectPostgres(await postgres.freshUrl({ migrate: false }), { max: 4 })],
] as const)("an app across the environments upgrade on %s", (_name, open) => {
  it("keeps its token and reads the same value, stating no environment; naming production works too", async () => {
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const kdb = await open();
    const token = await previousRelease(kdb, envelope);
    expect(await migrateToLatest(kdb.db)).toEqual(["0400-environments", "0401-admin-key-scopes"]);
    const t = await startTestServer(kdb, {}, { envelope });
    try {
      const register = (environment: string) =>
        unary<RegisterTokenRequest, RegisterTokenResponse>(t.client.registerToken.bind(t.client), { serviceName: "legacy-app", serviceVersion: "1", environment }, bearer(token));
      expect((await register("")).res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
      const read = await unary<GetSecretRequest, GetSecretResponse>(t.client.getSecret.bind(t.client), { name: "LEGACY_KEY", description: "kept" }, bearer(token));
      expect(read.res).toMatchObject({ value: "legacy-value", version: 1 });
      expect((await register("production")).res?.status).toBe(TokenStatus.TOKEN_STATUS_APPROVED);
      expect((await register("development")).err?.metadata.get("keyward-reason")[0]).toBe("environment_mismatch");
    } finally {
      await t.close();
    }
  });
});
