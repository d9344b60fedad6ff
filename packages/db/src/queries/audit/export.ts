import type { Kysely } from "kysely";
import { KeywardError } from "@keyward/common";
import type { AuditRow, Database } from "../../schema.js";
import { auditEnvironmentMatch, auditScopeMatch, type AuditEnvironmentFilter } from "./environment-filter.js";

export type AuditExportFormat = "jsonl" | "csv";

export interface AuditExportFilter {
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  actorType?: string;
  actorId?: string;
  action?: string;
  result?: string;
  environment?: AuditEnvironmentFilter;
  /** Only rows in one of these environments (a scoped caller's); see auditScopeMatch. */
  scope?: readonly AuditEnvironmentFilter[];
}

/** Every column but none that could hold a value or a token: the audit log never has one. */
export const AUDIT_EXPORT_COLUMNS = ["seq", "at", "actor_type", "actor_id", "action", "target", "result", "reason", "ip", "user_agent", "request_id", "count", "environment", "prev_hash", "hash"] as const;

// A cell starting with one of these is a formula to a spreadsheet; user agents are caller-controlled.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = "'" + text;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonLine(row: AuditRow): string {
  return JSON.stringify(Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((c) => [c, row[c] instanceof Date ? (row[c] as Date).toISOString() : (row[c] ?? null)])));
}

function checkFilter(filter: AuditExportFilter) {
  for (const field of ["from", "to"] as const) {
    const d = filter[field];
    if (d !== undefined && (!(d instanceof Date) || Number.isNaN(d.getTime()))) throw new KeywardError("invalid_argument", `audit export filter "${field}" is not a valid date`, { field });
  }
  if (filter.from && filter.to && filter.from >= filter.to) throw new KeywardError("invalid_argument", `audit export filter "from" must be before "to"`, { field: "from" });
}

/**
 * Streams the audit log as JSON Lines or CSV (header first), oldest first, one page at a time, so
 * an export of any size runs in flat memory. Each yielded string is one line ending in "\n".
 */
export async function* exportAudit(
  db: Kysely<Database>,
  options: { format: AuditExportFormat; filter?: AuditExportFilter; pageSize?: number },
): AsyncGenerator<string> {
  const filter = options.filter ?? {};
  checkFilter(filter);
  if (options.format !== "jsonl" && options.format !== "csv") throw new KeywardError("invalid_argument", `audit export format must be jsonl or csv, got "${String(options.format)}"`, { field: "format" });
  const pageSize = options.pageSize ?? 1000;
  if (options.format === "csv") yield AUDIT_EXPORT_COLUMNS.join(",") + "\n";
  let afterSeq = 0;
  for (;;) {
    let q = db.selectFrom("audit_log").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(pageSize);
    if (filter.from) q = q.where("at", ">=", filter.from);
    if (filter.to) q = q.where("at", "<", filter.to);
    if (filter.actorType) q = q.where("actor_type", "=", filter.actorType);
    if (filter.actorId) q = q.where("actor_id", "=", filter.actorId);
    if (filter.action) q = q.where("action", "=", filter.action);
    if (filter.result) q = q.where("result", "=", filter.result);
    if (filter.environment) q = q.where(auditEnvironmentMatch(filter.environment));
    if (filter.scope) q = q.where(auditScopeMatch(filter.scope));
    const page = await q.execute();
    for (const row of page) yield options.format === "csv" ? AUDIT_EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(",") + "\n" : jsonLine(row) + "\n";
    if (page.length < pageSize) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
