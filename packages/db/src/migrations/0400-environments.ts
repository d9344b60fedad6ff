import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { AUDIT_LOCK } from "../queries/audit/append.js";

// Issue #13: environments (docs/environments.md). Kysely runs pending migrations in one transaction
// on PostgreSQL and PGlite alike, so an upgrade either moves everything or nothing.
//
// - `environments`; a fresh instance gets development (default), staging and production
//   (protected). A database with data (secrets, tokens or grants) is an upgrade: everything moves
//   into production, which becomes the default and `legacy` and stays unprotected, so an upgrade
//   never turns single-admin automation into change requests by surprise.
// - What every environment shares moves to `secret_definitions`; `secrets` keeps one row per
//   (name, environment) with its status and versions. Values keep their AAD (row id, name,
//   version): no ciphertext is touched.
// - Tokens and grants are bound to an environment; notifications carry its id (what caches key
//   on, since a name can change) and its name; audit rows carry
//   it too (hashed only when not null, so every earlier row keeps its hash).

const newId = sql`'env_' || replace(gen_random_uuid()::text, '-', '')`;

const notifyFunctions = [
  sql`create or replace function keyward_notify_secret() returns trigger language plpgsql as $$
    declare r secrets;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'secret', 'name', r.name, 'version', r.current_version, 'status', r.status,
        'environmentId', r.environment_id, 'environment', (select e.name from environments e where e.id = r.environment_id))::text);
      return null;
    end $$`,
  sql`create or replace function keyward_notify_access() returns trigger language plpgsql as $$
    declare r access_requests;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'access', 'secretName', r.secret_name, 'serviceName', r.service_name, 'status', r.status,
        'environmentId', r.environment_id, 'environment', (select e.name from environments e where e.id = r.environment_id))::text);
      return null;
    end $$`,
  sql`create or replace function keyward_notify_token() returns trigger language plpgsql as $$
    declare r service_tokens;
    begin
      if tg_op = 'DELETE' then r := old; else r := new; end if;
      perform pg_notify('keyward_changes', json_build_object('kind', 'token', 'id', r.id, 'status', r.status,
        'environmentId', r.environment_id, 'environment', (select e.name from environments e where e.id = r.environment_id))::text);
      return null;
    end $$`,
];

/** The append function as this migration made it (0570's `down` puts it back). */
export const environmentsAppendFunction = sql`create or replace function keyward_audit_append_after(
    p_seq bigint, p_hash text, p_seqs bigint[], p_at timestamptz[], p_actor_type text[], p_actor_id text[], p_action text[],
    p_target text[], p_result text[], p_reason text[], p_ip text[], p_user_agent text[], p_request_id text[], p_count integer[], p_environment text[], p_prev_hash text[], p_hash_out text[])
  returns table (appended boolean, head_seq bigint, head_hash text) language plpgsql volatile as $$
  declare cur_seq bigint; cur_hash text;
  begin
    perform pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK)});
    select a.seq, a.hash into cur_seq, cur_hash from audit_log a order by a.seq desc limit 1;
    cur_seq := coalesce(cur_seq, 0);
    cur_hash := coalesce(cur_hash, repeat('0', 64));
    if cur_seq <> p_seq or cur_hash <> p_hash then
      return query select false, cur_seq, cur_hash;
      return;
    end if;
    insert into audit_log (seq, at, actor_type, actor_id, action, target, result, reason, ip, user_agent, request_id, count, environment, prev_hash, hash)
      select * from unnest(p_seqs, p_at, p_actor_type, p_actor_id, p_action, p_target, p_result, p_reason, p_ip, p_user_agent, p_request_id, p_count, p_environment, p_prev_hash, p_hash_out);
    return query select true, p_seqs[array_upper(p_seqs, 1)], p_hash_out[array_upper(p_hash_out, 1)];
  end $$`;

const oldAppendSignature = sql`keyward_audit_append_after(bigint, text, bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], integer[], text[], text[])`;

export const environments: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table environments (
        id text primary key,
        name text not null unique check (name ~ '^[a-z][a-z0-9-]{0,62}$'),
        protected boolean not null default false,
        is_default boolean not null default false,
        legacy boolean not null default false,
        position integer not null,
        created_at timestamptz not null,
        created_by text not null
      )`.execute(db);
    // At most one default and one legacy environment; the queries keep exactly one default.
    await sql`create unique index environments_one_default on environments (is_default) where is_default`.execute(db);
    await sql`create unique index environments_one_legacy on environments (legacy) where legacy`.execute(db);

    const { rows } = await sql<{ upgrade: boolean }>`select exists (select 1 from secrets) or exists (select 1 from service_tokens) or exists (select 1 from access_requests) as upgrade`.execute(db);
    const upgrade = rows[0]!.upgrade;
    const envs = [
      { name: "development", position: 0, isDefault: !upgrade, isProtected: false, legacy: false },
      { name: "staging", position: 1, isDefault: false, isProtected: false, legacy: false },
      { name: "production", position: 2, isDefault: upgrade, isProtected: !upgrade, legacy: upgrade },
    ];
    for (const e of envs) {
      await sql`insert into environments (id, name, protected, is_default, legacy, position, created_at, created_by)
        values (${newId}, ${e.name}, ${e.isProtected}, ${e.isDefault}, ${e.legacy}, ${e.position}, now(), 'system:migration')`.execute(db);
    }
    const home = sql`(select id from environments where is_default)`;

    // Definitions: what every environment shares.
    await sql`create table secret_definitions (
        name text primary key,
        description text not null default '',
        type text not null default 'generic',
        rotation_days integer not null default 90,
        source text,
        created_at timestamptz not null,
        created_by text not null,
        updated_at timestamptz not null,
        updated_by text not null
      )`.execute(db);
    await sql`insert into secret_definitions (name, description, type, rotation_days, source, created_at, created_by, updated_at, updated_by)
        select name, description, type, rotation_days, source, created_at, created_by, updated_at, updated_by from secrets`.execute(db);

    // Per-environment state.
    await sql`alter table secrets add column environment_id text references environments (id) on delete cascade`.execute(db);
    await sql`update secrets set environment_id = ${home}`.execute(db);
    await sql`alter table secrets alter column environment_id set not null`.execute(db);
    await sql`alter table secrets drop constraint secrets_name_key`.execute(db);
    await sql`alter table secrets add constraint secrets_name_environment unique (name, environment_id)`.execute(db);
    await sql`alter table secrets add constraint secrets_definition foreign key (name) references secret_definitions (name)`.execute(db);
    for (const column of ["description", "type", "rotation_days", "source"]) await sql`alter table secrets drop column ${sql.id(column)}`.execute(db);

    await sql`alter table service_tokens add column environment_id text references environments (id) on delete cascade`.execute(db);
    await sql`update service_tokens set environment_id = ${home}`.execute(db);
    await sql`alter table service_tokens alter column environment_id set not null`.execute(db);

    await sql`alter table access_requests add column environment_id text references environments (id) on delete cascade`.execute(db);
    await sql`update access_requests set environment_id = ${home}`.execute(db);
    await sql`alter table access_requests alter column environment_id set not null`.execute(db);
    await sql`alter table access_requests drop constraint access_requests_secret_service`.execute(db);
    await sql`alter table access_requests add constraint access_requests_secret_service_environment unique (secret_name, service_name, environment_id)`.execute(db);

    // Audit rows are signed, so they are not rewritten: a null environment means the legacy one.
    await sql`alter table audit_log add column environment text`.execute(db);
    await sql`drop function ${oldAppendSignature}`.execute(db);
    await environmentsAppendFunction.execute(db);
    for (const statement of notifyFunctions) await statement.execute(db);
  },
  async down() {
    // Folding environments back into one flat set would have to pick one value per secret and drop
    // the rest: refused rather than done silently.
    throw new Error("migration 0400-environments cannot be reverted");
  },
};
