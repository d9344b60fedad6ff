import { sql, type Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { Database } from "../../schema.js";
import { appendAuditRowsIn } from "../audit/append.js";
import { AUDIT_LOCK } from "../audit/append.js";
import { inTransaction } from "../transaction.js";
import { auditPartitionBounds } from "./read-rows.js";

/** What an archive holds, as checked by reading it back from its sink. */
export interface ArchivedPartition {
  name: string;
  archiveName: string | null;
  sink: string | null;
  rows: number;
  firstSeq: number | null;
  lastSeq: number | null;
  beforeHash: string | null;
  afterHash: string | null;
}

export type DropArchivedResult = { dropped: true } | { dropped: false; reason: "not_hot" | "changed" };

/**
 * Drops a partition whose rows are safely archived, records where they went, and audits it, all in
 * one transaction. It takes the audit lock first (so appends wait rather than deadlock against the
 * drop's table lock) and re-checks under it that the partition still holds exactly the archived rows.
 * `lockTimeoutMs` bounds how long appends can stall behind a long reader: past it, nothing changes
 * and the caller tries again on its next run.
 */
export function dropArchivedAuditPartition(
  db: Kysely<Database>,
  auditKey: Uint8Array,
  input: { archive: ArchivedPartition; at: Date; actorType: string; actor: string; lockTimeoutMs?: number },
): Promise<DropArchivedResult> {
  const { archive } = input;
  return inTransaction(db, async (trx) => {
    await sql`select set_config('lock_timeout', ${`${input.lockTimeoutMs ?? 2000}ms`}, true)`.execute(trx);
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
    const entry = await trx.selectFrom("audit_partitions").select(["state"]).where("name", "=", archive.name).forUpdate().executeTakeFirst();
    if (!entry || entry.state !== "hot") return { dropped: false, reason: "not_hot" } as const;
    const bounds = await auditPartitionBounds(trx, archive.name);
    const same = bounds === null ? archive.rows === 0 : bounds.rows === archive.rows && bounds.first.seq === archive.firstSeq && bounds.last.seq === archive.lastSeq && bounds.last.hash === archive.afterHash;
    if (!same) return { dropped: false, reason: "changed" } as const;
    if (archive.rows > 0 && !archive.archiveName) throw new KeywardError("internal", `partition ${archive.name} holds rows but no archive was named`);
    await sql`drop table ${sql.table(archive.name)}`.execute(trx);
    await trx
      .updateTable("audit_partitions")
      .set({
        state: archive.rows > 0 ? "archived" : "dropped_empty",
        first_seq: archive.firstSeq,
        last_seq: archive.lastSeq,
        row_count: archive.rows,
        before_hash: archive.beforeHash,
        after_hash: archive.afterHash,
        archive_name: archive.archiveName,
        archive_sink: archive.sink,
        archived_at: input.at,
      })
      .where("name", "=", archive.name)
      .execute();
    const where = archive.rows > 0 ? `${archive.rows} row(s), seq ${archive.firstSeq}–${archive.lastSeq}, archived as ${archive.archiveName} in ${archive.sink}` : "empty";
    await appendAuditRowsIn(trx, auditKey, [{ at: input.at, actor_type: input.actorType, actor_id: input.actor, action: "audit.archive", target: `audit_partition:${archive.name}`, result: "ok", reason: where }]);
    return { dropped: true } as const;
  });
}
