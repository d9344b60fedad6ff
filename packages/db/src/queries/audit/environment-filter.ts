import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Database } from "../../schema.js";

/** Audit rows about one environment; `legacy` when it is the one that received pre-environment data. */
export interface AuditEnvironmentFilter {
  name: string;
  legacy: boolean;
}

/**
 * Rows written before environments carry none and belong to the legacy environment (migration 0400
 * does not rewrite the signed chain), so the legacy environment's filter matches them too.
 */
export const auditEnvironmentMatch =
  (f: AuditEnvironmentFilter) =>
  (eb: ExpressionBuilder<Database, "audit_log">): Expression<SqlBool> =>
    f.legacy ? eb.or([eb("environment", "=", f.name), eb("environment", "is", null)]) : eb("environment", "=", f.name);
