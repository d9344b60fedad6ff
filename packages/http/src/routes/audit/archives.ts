import { KeywardError } from "@keyward/common";
import { listAuditPartitions, type AuditPartition } from "@keyward/db";
import type { AuditArchive, AuditArchives } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * The sink as the service described it, minus anything that could be a credential should one ever
 * slip in (the service never puts one there): a URL's user info and query string.
 */
export function publicSink(sink: string): string {
  return sink.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1").replace(/(:\/\/[^\s?]*)\?\S*/g, "$1");
}

function toArchive(p: AuditPartition): AuditArchive {
  const { first_seq: firstSeq, last_seq: lastSeq, row_count: rows, archive_name: archive, archive_sink: sink, archived_at: archivedAt } = p;
  // dropArchivedAuditPartition records all of these with the state; a gap is a broken registry, named here.
  if (firstSeq === null || lastSeq === null || rows === null || !archive || !sink || archivedAt === null) {
    throw new KeywardError("internal", `audit partition ${p.name} is marked archived but its registry entry does not say where its rows went`);
  }
  return { partition: p.name, from: p.starts_at === null ? null : iso(p.starts_at), to: iso(p.ends_at), firstSeq, lastSeq, rows, archive, sink: publicSink(sink), archivedAt: iso(archivedAt) };
}

/**
 * Where the log's rows are, from the partition registry (oldest first). `hotFrom` is the start of
 * the oldest partition still in the database, or null when nothing was ever archived (empty
 * partitions dropped without an archive lost no rows, so they alone leave it null).
 */
export function auditArchivesOf(partitions: AuditPartition[]): AuditArchives {
  const archived = partitions.filter((p) => p.state === "archived");
  if (archived.length === 0) return { hotFrom: null, archives: [], droppedEmpty: partitions.filter((p) => p.state === "dropped_empty").length };
  const oldestHot = partitions.find((p) => p.state === "hot");
  const gone = partitions.filter((p) => p.state !== "hot");
  // Partitions are contiguous: the oldest hot one starts where the newest dropped one ended.
  const hotFrom = oldestHot?.starts_at ?? gone[gone.length - 1]!.ends_at;
  return {
    hotFrom: iso(hotFrom),
    archives: archived.map(toArchive).reverse(),
    droppedEmpty: gone.length - archived.length,
  };
}

export const listAuditArchivesRoute: RouteHandler<"listAuditArchives"> = async (ctx) => {
  sendJson(ctx.res, 200, auditArchivesOf(await listAuditPartitions(ctx.deps.db)));
};
