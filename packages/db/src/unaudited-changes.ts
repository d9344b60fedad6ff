import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "./schema.js";

/** A row whose state the audit log does not account for. */
export interface UnauditedChange {
  table: string;
  key: string;
  problem: string;
}

// One query per rule; each names rows whose state has no audit row that explains it. The targets
// are the ones the admin API, the gRPC server, the CLI and the service write.
const RULES: { table: string; problem: string; query: RawBuilder<{ key: string }> }[] = [
  {
    table: "secrets",
    problem: "exists, but no secret.create or secret.stub row",
    query: sql<{ key: string }>`select s.name as key from secrets s where not exists (select 1 from audit_log a where a.target = 'secret:' || s.name and a.action in ('secret.create', 'secret.stub') and a.result in ('ok', 'created'))`,
  },
  {
    table: "secrets",
    problem: "has more versions than secret.value.set and secret.rollback rows",
    query: sql<{ key: string }>`select s.name as key from secrets s where s.current_version > (select count(*) from audit_log a where a.target = 'secret:' || s.name and a.action in ('secret.value.set', 'secret.rollback') and a.result = 'ok')`,
  },
  {
    table: "secrets",
    problem: "is disabled, but no secret.disable row",
    query: sql<{ key: string }>`select s.name as key from secrets s where s.status = 'disabled' and not exists (select 1 from audit_log a where a.target = 'secret:' || s.name and a.action = 'secret.disable' and a.result = 'ok')`,
  },
  {
    table: "access_requests",
    problem: "exists, but no access.request row",
    query: sql<{ key: string }>`select r.service_name || '/' || r.secret_name as key from access_requests r where not exists (select 1 from audit_log a where a.target = 'access:' || r.service_name || '/' || r.secret_name and a.action = 'access.request' and a.result = 'created')`,
  },
  {
    table: "access_requests",
    problem: "was decided, but no row records that decision",
    query: sql<{ key: string }>`select r.service_name || '/' || r.secret_name as key from access_requests r where r.status <> 'pending' and not exists (
      select 1 from audit_log a where a.result = 'ok' and (
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
