// Storage write path on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), beside a bare INSERT of a
// row of similar size in the same run:
//  1. bare INSERT (baseline);
//  2. appendAudit, one transaction per row (advisory lock + HMAC chain);
//  3. createAuditWriter.append (group commit: rows arriving together share a transaction);
//  4. setSecretValue (new encrypted version, check of the active KEK, row lock, prune);
//  5. setSecretValue followed by its audit row, as the admin API does.
import { randomBytes } from "node:crypto";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { appendAudit, connectPostgres, createAuditWriter, createSecretStub, getDefaultEnvironment, migrateToLatest, setSecretValue, type NewAuditRow } from "@keyward/db";
import { sql } from "kysely";
import { measure, report, type MeasureOptions } from "./lib/measure.js";

const ADMIN_URL = process.env.KEYWARD_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const OPTIONS: MeasureOptions = { durationMs: 3000, warmupMs: 500, concurrency: 16 };
const SECRETS = 64;

export default async function dbBench(): Promise<void> {
  const dbName = `keyward_bench_${randomBytes(6).toString("hex")}`;
  const admin = connectPostgres(ADMIN_URL, { max: 1 });
  await sql`create database ${sql.id(dbName)}`.execute(admin.db);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const database = connectPostgres(url.toString(), { max: 16 });
  try {
    const { db } = database;
    await migrateToLatest(db);
    await sql`create table bench_bare (id bigserial primary key, at timestamptz not null, actor text not null, action text not null, target text not null, payload bytea not null)`.execute(db);
    const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
    const auditKey = randomBytes(32);
    const at = new Date();
    const environmentId = (await getDefaultEnvironment(db)).id;
    for (let i = 0; i < SECRETS; i++) await createSecretStub(db, { environmentId, name: `BENCH_DB_${i}`, description: "", requestedBy: "bench", at });
    const value = randomBytes(24).toString("base64");
    const payload = randomBytes(96);
    const row = (): NewAuditRow => ({ at: new Date(), actor_type: "admin", actor_id: "bench", action: "secret.value.set", target: "secret:BENCH_DB_0", result: "ok", request_id: randomBytes(8).toString("hex") });
    // Each worker writes a different secret in turn, so row locks rarely collide.
    let next = 0;
    const name = () => `BENCH_DB_${next++ % SECRETS}`;
    const writer = createAuditWriter({ db, auditKey });

    const results = [
      await measure("bare INSERT (baseline)", () => db.insertInto("bench_bare" as never).values({ at: new Date(), actor: "bench", action: "secret.value.set", target: "secret:X", payload } as never).execute(), OPTIONS),
      await measure("appendAudit (1 row per transaction)", () => appendAudit(db, auditKey, row()), OPTIONS),
      await measure("audit writer append (group commit)", () => writer.append(row()), OPTIONS),
      await measure("setSecretValue", () => setSecretValue(db, envelope, { environmentId, name: name(), value, actor: "bench", at: new Date() }), OPTIONS),
      await measure("setSecretValue + audit row", async () => {
        const target = name();
        await setSecretValue(db, envelope, { environmentId, name: target, value, actor: "bench", at: new Date() });
        await appendAudit(db, auditKey, { ...row(), target: `secret:${target}` });
      }, OPTIONS),
    ];
    await writer.close();
    report("storage writes on PostgreSQL (16 in flight)", results);
  } finally {
    await database.close();
    // Not WITH (FORCE): a pool's last backends may still be exiting, and forcing them would raise
    // an error on a client nobody listens to any more. Wait for them instead.
    for (let attempt = 0; ; attempt++) {
      try {
        await sql`drop database if exists ${sql.id(dbName)}`.execute(admin.db);
        break;
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await admin.close();
  }
}
