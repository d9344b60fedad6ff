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

/**
 * Rows in any of a caller's environments (an admin key or sign-in scoped to some): instance-wide
 * rows (admin keys, environments' own changes outside them) are left out, and an empty scope
 * matches nothing.
 */
export const auditScopeMatch =
  (scope: readonly AuditEnvironmentFilter[]) =>
  (eb: ExpressionBuilder<Database, "audit_log">): Expression<SqlBool> =>
    scope.length === 0 ? eb.val(false) : eb.or(scope.map((f) => auditEnvironmentMatch(f)(eb)));
