import type { Kysely } from "kysely";
import type { AuditRow, Database } from "../../schema.js";
import { decodeCursor, pageLimit, toPage } from "../cursor.js";
import { auditEnvironmentMatch, auditScopeMatch, type AuditEnvironmentFilter } from "./environment-filter.js";

export interface AuditFilter {
  action?: string;
  actorId?: string;
  result?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  environment?: AuditEnvironmentFilter;
  /** Only rows in one of these environments (a scoped caller's); see auditScopeMatch. */
  scope?: readonly AuditEnvironmentFilter[];
}

/** Oldest first, keyset-paginated by seq; `afterSeq` starts after a known row (used by verify). */
export async function listAudit(
  db: Kysely<Database>,
  options: AuditFilter & { limit?: number; cursor?: string; afterSeq?: number } = {},
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const limit = pageLimit(options.limit, 1000, 10_000);
  let q = db.selectFrom("audit_log").selectAll().orderBy("seq").limit(limit + 1);
  const after = options.cursor !== undefined ? decodeCursor(options.cursor, ["seq"] as const)[0] : options.afterSeq;
  if (after !== undefined) q = q.where("seq", ">", after);
  if (options.action) q = q.where("action", "=", options.action);
  if (options.actorId) q = q.where("actor_id", "=", options.actorId);
  if (options.result) q = q.where("result", "=", options.result);
  if (options.from) q = q.where("at", ">=", options.from);
  if (options.to) q = q.where("at", "<", options.to);
  if (options.environment) q = q.where(auditEnvironmentMatch(options.environment));
  if (options.scope) q = q.where(auditScopeMatch(options.scope));
  return toPage(await q.execute(), limit, (r) => [r.seq]);
}
