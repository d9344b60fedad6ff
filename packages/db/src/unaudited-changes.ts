import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "./schema.js";

/** A row whose state the audit log does not account for. */
export interface UnauditedChange {
  table: string;
  key: string;
  problem: string;
}

// The names an environment's audit rows can carry: its name now, each name it had before a rename
// (the `renamed <old> to <new>` of its environment.update rows), and none for the legacy environment
// (rows written before environments, migration 0400). A name reused by a later environment matches
// both: the check errs towards explaining a row, never towards a false alarm.
const environmentNames = sql`(
  select e.id, e.name from environments e
  union all select e.id, null from environments e where e.legacy
  union all select e.id, m[1] from environments e
    join audit_log u on u.target = 'environment:' || e.id and u.action = 'environment.update' and u.result = 'ok'
    cross join lateral regexp_matches(u.reason, 'renamed ([a-z0-9-]+) to', 'g') m
)`;

/** The audit row `a` was written in the environment whose id is in `column`. */
const inEnvironmentOf = (column: string) => sql`exists (select 1 from ${environmentNames} n where n.id = ${sql.ref(column)} and n.name is not distinct from a.environment)`;

// One query per rule; each names rows whose state has no audit row that explains it, in the row's
// own environment (a value set in staging does not explain production's). The targets are the ones
// the admin API, the gRPC server, the CLI and the service write.
const RULES: { table: string; problem: string; query: RawBuilder<{ key: string }> }[] = [
  {
    table: "secrets",
    problem: "exists, but no secret.create, secret.stub, secret.promote or signing_key.create row",
    query: sql<{ key: string }>`select s.name as key from secrets s where not exists (select 1 from audit_log a where ${inEnvironmentOf("s.environment_id")} and (
      (a.target = 'secret:' || s.name and a.action in ('secret.create', 'secret.stub', 'secret.promote') and a.result in ('ok', 'created'))
      or (a.target = 'signing_key:' || s.name and a.action = 'signing_key.create' and a.result = 'ok')))`,
  },
  {
    table: "secrets",
    problem: "has more versions than secret.value.set, secret.rollback and secret.promote rows (a signing key: signing_key.create and signing_key.rotate rows)",
    query: sql<{ key: string }>`select s.name as key from secrets s where s.current_version > (select count(*) from audit_log a where a.result = 'ok' and ${inEnvironmentOf("s.environment_id")} and (
      (a.target = 'secret:' || s.name and a.action in ('secret.value.set', 'secret.rollback', 'secret.promote'))
      or (a.target = 'signing_key:' || s.name and a.action in ('signing_key.create', 'signing_key.rotate'))))`,
  },
  {
    table: "signing_keys",
    problem: "has retired versions, but no signing_key.retire row",
    query: sql<{ key: string }>`select s.name as key from signing_keys k join secrets s on s.id = k.secret_id where k.min_version > 1 and not exists (select 1 from audit_log a where a.target = 'signing_key:' || s.name and a.action = 'signing_key.retire' and a.result = 'ok' and ${inEnvironmentOf("s.environment_id")})`,
  },
  {
    table: "secrets",
    problem: "is disabled, but no secret.disable row",
    query: sql<{ key: string }>`select s.name as key from secrets s where s.status = 'disabled' and not exists (select 1 from audit_log a where a.target = 'secret:' || s.name and a.action = 'secret.disable' and a.result = 'ok' and ${inEnvironmentOf("s.environment_id")})`,
  },
  {
    table: "access_requests",
    problem: "exists, but no access.request row",
    query: sql<{ key: string }>`select r.service_name || '/' || r.secret_name as key from access_requests r where not exists (select 1 from audit_log a where a.target = 'access:' || r.service_name || '/' || r.secret_name and a.action = 'access.request' and a.result = 'created' and ${inEnvironmentOf("r.environment_id")})`,
  },
  {
    table: "access_requests",
    problem: "was decided, but no row records that decision",
    query: sql<{ key: string }>`select r.service_name || '/' || r.secret_name as key from access_requests r where r.status <> 'pending' and not exists (
      select 1 from audit_log a where a.result = 'ok' and ${inEnvironmentOf("r.environment_id")} and (
        (a.target = 'access:' || r.service_name || '/' || r.secret_name and a.action = case r.status when 'granted' then 'access.grant' when 'denied' then 'access.deny' else 'access.revoke' end)
        or (r.status = 'revoked' and a.target = 'secret:' || r.secret_name and a.action = 'secret.delete')))`,
  },
  {
    table: "service_tokens",
    problem: "exists, but no token.register row",
    query: sql<{ key: string }>`select t.id as key from service_tokens t where not exists (select 1 from audit_log a where a.target = 'token:' || t.id and a.action = 'token.register' and a.result = 'created')`,
  },
  {
    table: "service_tokens",
    problem: "was approved or revoked, but no row records it",
    query: sql<{ key: string }>`select t.id as key from service_tokens t where t.status <> 'pending' and not exists (
      select 1 from audit_log a where a.target = 'token:' || t.id and a.result = 'ok' and a.action = case t.status when 'approved' then 'token.approve' else 'token.revoke' end)`,
  },
  {
    table: "change_requests",
    problem: "was applied, but no change_request.apply row",
    query: sql<{ key: string }>`select c.id as key from change_requests c where c.status = 'applied' and not exists (select 1 from audit_log a where a.target = 'change_request:' || c.id and a.action = 'change_request.apply' and a.result = 'ok')`,
  },
  {
    table: "admin_api_keys",
    problem: "exists, but no admin_key.create or admin.bootstrap row",
    query: sql<{ key: string }>`select k.id as key from admin_api_keys k where not exists (select 1 from audit_log a where a.result = 'ok' and ((a.target = 'admin_key:' || k.id and a.action = 'admin_key.create') or (a.target = 'admin:' || k.id and a.action = 'admin.bootstrap')))`,
  },
  {
    table: "admin_api_keys",
    problem: "is revoked, but no admin_key.revoke row",
    query: sql<{ key: string }>`select k.id as key from admin_api_keys k where k.revoked_at is not null and not exists (select 1 from audit_log a where a.target = 'admin_key:' || k.id and a.action = 'admin_key.revoke' and a.result = 'ok')`,
  },
  {
    table: "approval_rules",
    problem: "exists, but no approval_rule.create row",
    query: sql<{ key: string }>`select r.id as key from approval_rules r where not exists (select 1 from audit_log a where a.target = 'approval_rule:' || r.id and a.action = 'approval_rule.create' and a.result = 'ok')`,
  },
];

/**
 * Every row of a database written only through Keyward (admin API, gRPC, CLI) whose state the audit
 * log does not account for: a change committed without its audit row. Empty when the log explains all.
 */
export async function findUnauditedChanges(db: Kysely<Database>): Promise<UnauditedChange[]> {
  const found: UnauditedChange[] = [];
  for (const rule of RULES) {
    const { rows } = await rule.query.execute(db);
    for (const row of rows) found.push({ table: rule.table, key: row.key, problem: rule.problem });
  }
  return found;
}
