import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";

const DAY_MS = 86_400_000;

/**
 * Lays out audit_log's partitions as if the service had run since `from`: the first partition holds
 * everything before `from`, then one partition per `periodDays` up to a period past now. Only for an
 * empty log (a test or benchmark about to write rows stamped in the past): the service itself only
 * ever adds partitions after the newest, so rows stamped in the past would all land in the first.
 */
export async function layoutPastAuditPartitions(db: Kysely<Database>, options: { from: Date; periodDays: number }): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from audit_log`.execute(trx);
    if (Number(rows[0]!.n) > 0) throw new Error("layoutPastAuditPartitions needs an empty audit log");
    const hot = await trx.selectFrom("audit_partitions").select("name").where("state", "=", "hot").execute();
    for (const p of hot) await sql`drop table ${sql.table(p.name)}`.execute(trx);
    await trx.deleteFrom("audit_partitions").execute();
    const from = new Date(Math.floor(options.from.getTime() / DAY_MS) * DAY_MS);
    await sql`create table audit_log_initial partition of audit_log for values from (minvalue) to (${sql.lit(from.toISOString())})`.execute(trx);
    await trx.insertInto("audit_partitions").values({ name: "audit_log_initial", starts_at: null, ends_at: from, state: "hot" }).execute();
    // One period at a time (asked for all at once, the cover function would span the gap with one partition).
    for (let end = from; end.getTime() <= Date.now() + options.periodDays * DAY_MS; end = new Date(end.getTime() + options.periodDays * DAY_MS)) {
      await sql`select keyward_audit_cover(${end.toISOString()}::timestamptz, make_interval(days => ${options.periodDays}))`.execute(trx);
    }
    const names = await trx.selectFrom("audit_partitions").select("name").orderBy("ends_at").execute();
    return names.map((n) => n.name);
  });
}
