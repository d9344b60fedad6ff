import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Triggers, not application code, announce changes: every writer in every process (a replica, a
// CLI, psql) notifies, and the notification is sent only if its transaction commits.
// Payloads carry names, versions and statuses only, never a value or a hash.
const functions = [
  sql`create or replace function keyward_notify_secret() returns trigger language plpgsql as $$
    declare r secrets;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'secret', 'name', r.name, 'version', r.current_version, 'status', r.status)::text);
      return null;
    end $$`,
  sql`create or replace function keyward_notify_access() returns trigger language plpgsql as $$
    declare r access_requests;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'access', 'secretName', r.secret_name, 'serviceName', r.service_name, 'status', r.status)::text);
      return null;
    end $$`,
  sql`create or replace function keyward_notify_token() returns trigger language plpgsql as $$
    declare r service_tokens;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'token', 'id', r.id, 'status', r.status)::text);
      return null;
    end $$`,
];

// Use counters (access_count, last_used_at) change on every read; only changes that alter what a
// cache would answer notify, so a busy service does not flood the channel.
const triggers = [
  sql`create trigger keyward_secrets_changed after insert or update or delete on secrets for each row execute function keyward_notify_secret()`,
  sql`create trigger keyward_access_inserted after insert or delete on access_requests for each row execute function keyward_notify_access()`,
  sql`create trigger keyward_access_updated after update on access_requests for each row
      when (old.status is distinct from new.status) execute function keyward_notify_access()`,
  sql`create trigger keyward_tokens_inserted after insert or delete on service_tokens for each row execute function keyward_notify_token()`,
  sql`create trigger keyward_tokens_updated after update on service_tokens for each row
      when (old.status is distinct from new.status or old.expires_at is distinct from new.expires_at) execute function keyward_notify_token()`,
];

export const changeNotifications: Migration = {
  async up(db: Kysely<any>) {
    for (const statement of [...functions, ...triggers]) await statement.execute(db);
  },
  async down(db: Kysely<any>) {
    for (const [trigger, table] of [
      ["keyward_secrets_changed", "secrets"],
      ["keyward_access_inserted", "access_requests"],
      ["keyward_access_updated", "access_requests"],
      ["keyward_tokens_inserted", "service_tokens"],
      ["keyward_tokens_updated", "service_tokens"],
    ] as const) {
      await sql`drop trigger if exists ${sql.id(trigger)} on ${sql.id(table)}`.execute(db);
    }
    for (const fn of ["keyward_notify_secret", "keyward_notify_access", "keyward_notify_token"]) await sql`drop function if exists ${sql.id(fn)}()`.execute(db);
  },
};
