import type { AuditSink, Database, NewAuditRow } from "@keyward/db";
import type { Kysely } from "kysely";
import type { RouteContext } from "./context.js";

export interface AdminAuditEntry {
  action: string;
  target: string;
  result: "ok" | "refused" | "error";
  reason?: string;
  /** The environment the change happened in (name), for values, stubs, grants and tokens. */
  environment?: string;
}

/** The audit row for an admin request: who, from where, which request; never a value. */
export function adminRow(ctx: RouteContext, entry: AdminAuditEntry): NewAuditRow {
  const ua = ctx.req.headers["user-agent"];
  return {
    at: ctx.deps.clock.now(),
    actor_type: ctx.principal?.via === "oidc" ? "oidc" : "admin",
    actor_id: ctx.principal?.actor ?? "anonymous",
    action: entry.action,
    target: entry.target,
    result: entry.result,
    reason: entry.reason ?? null,
    ip: ctx.req.socket.remoteAddress ?? null,
    user_agent: typeof ua === "string" ? ua.slice(0, 256) : null,
    request_id: ctx.requestId,
    environment: entry.environment ?? null,
  };
}

/** Actions that change what AdminLookups caches. */
const CACHED = /^(admin_key|environment)\./;

const logEntry = (ctx: RouteContext, entry: AdminAuditEntry) => ctx.deps.logger.info({ requestId: ctx.requestId, actor: ctx.principal?.actor ?? "anonymous", ...entry }, "admin action");

/** One audit row for a request that changes nothing (a refusal, an export), committed before the response. */
export async function auditAdmin(ctx: RouteContext, entry: AdminAuditEntry): Promise<void> {
  await ctx.audit.append(adminRow(ctx, entry));
  logEntry(ctx, entry);
}

/**
 * Runs an admin change and the audit rows it records in ONE transaction: both commit, or neither
 * does. `change` must do all its writes through `trx`, and record refusals too (their rows commit
 * with the transaction); throw the HTTP refusal after this returns, since a throw rolls back.
 * `rows` takes whole rows of another actor in the same transaction (an approval rule that fires).
 */
export async function auditedChange<T>(
  ctx: RouteContext,
  change: (trx: Kysely<Database>, audit: (entry: AdminAuditEntry) => void, rows: AuditSink) => Promise<T>,
): Promise<T> {
  const entries: AdminAuditEntry[] = [];
  // Through the audit writer: it chains the rows in one statement after the tail it knows.
  // A change may run more than once (its batch was rolled back): only the last run's entries count.
  const result = await ctx.audit.change((trx, sink) => {
    entries.length = 0;
    return change(
      trx,
      (entry) => {
        entries.push(entry);
        sink(adminRow(ctx, entry));
      },
      sink,
    );
  });
  // Admin keys and environments are cached per process: a change made here is seen by the next request here.
  if (entries.some((e) => CACHED.test(e.action))) ctx.lookups.forget();
  for (const entry of entries) logEntry(ctx, entry);
  return result;
}
