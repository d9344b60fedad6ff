import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #18: the admin API caches the admin key behind a bearer and the environments it resolves
// (two round trips a request), so every replica must hear when either changes. These triggers
// announce it on the change channel. Ids and names only: a key's hash never leaves the table.
// A key's last_used_at is stamped once a minute per key and changes nothing a cache holds, so an
// update that touches only it is not announced.
const onAdminKey = sql`create or replace function keyward_admin_key_changed() returns trigger language plpgsql as $$
  begin
    perform pg_notify('keyward_changes', json_build_object('kind', 'admin_key', 'id', coalesce(new.id, old.id))::text);
    return null;
  end $$`;

const onEnvironment = sql`create or replace function keyward_environment_changed() returns trigger language plpgsql as $$
  begin
    perform pg_notify('keyward_changes', json_build_object('kind', 'environment', 'id', coalesce(new.id, old.id), 'name', coalesce(new.name, old.name))::text);
    return null;
  end $$`;

export const adminChangeEvents: Migration = {
  async up(db: Kysely<any>) {
    await onAdminKey.execute(db);
    await onEnvironment.execute(db);
    await sql`create trigger keyward_admin_keys_changed after insert or delete on admin_api_keys for each row execute function keyward_admin_key_changed()`.execute(db);
    await sql`create trigger keyward_admin_keys_updated after update on admin_api_keys for each row
      when ((old.name, old.role, old.key_hash, old.revoked_at, old.environments, old.owner) is distinct from (new.name, new.role, new.key_hash, new.revoked_at, new.environments, new.owner))
      execute function keyward_admin_key_changed()`.execute(db);
    await sql`create trigger keyward_environments_changed after insert or update or delete on environments for each row execute function keyward_environment_changed()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger if exists keyward_environments_changed on environments`.execute(db);
    await sql`drop trigger if exists keyward_admin_keys_updated on admin_api_keys`.execute(db);
    await sql`drop trigger if exists keyward_admin_keys_changed on admin_api_keys`.execute(db);
    await sql`drop function if exists keyward_environment_changed()`.execute(db);
    await sql`drop function if exists keyward_admin_key_changed()`.execute(db);
  },
};
