// Storage write path on the local PostgreSQL (KEYWARD_TEST_PG_ADMIN_URL), beside a bare INSERT of a
// row of similar size in the same run:
//  1. bare INSERT (baseline);
//  2. appendAudit, one transaction per row (advisory lock + HMAC chain);
//  3. createAuditWriter.append (group commit: rows arriving together share a transaction);
//  4. setSecretValue (new encrypted version, check of the active KEK, row lock, prune);
//  5. setSecretValue and its audit row in one transaction, grouped with concurrent changes, as the admin API does.
import { randomBytes } from "node:crypto";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { appendAudit, createAuditWriter, createSecretStub, getDefaultEnvironment, setSecretValue, type NewAuditRow } from "@keyward/db";
import { sql } from "kysely";
import { measure, report, type MeasureOptions } from "./lib/measure.js";
import { createThrowawayDatabase } from "./lib/throwaway-database.js";

const OPTIONS: MeasureOptions = { durationMs: 3000, warmupMs: 500, concurrency: 16 };
const SECRETS = 64;

export default async function dbBench(): Promise<void> {
  const tdb = await createThrowawayDatabase({ max: 16 });
  try {
    const { db } = tdb.kdb;
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
      await measure("setSecretValue + audit row, one transaction (writer.change: grouped)", () =>
        writer.change(async (trx, audit) => {
          const target = name();
          await setSecretValue(trx, envelope, { environmentId, name: target, value, actor: "bench", at: new Date() });
          audit({ ...row(), target: `secret:${target}` });
        }), OPTIONS),
    ];
    await writer.close();
    report("storage writes on PostgreSQL (16 in flight)", results);
  } finally {
    await tdb.drop();
  }
}
