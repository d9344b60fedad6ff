import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { AUDIT_LOCK } from "../queries/audit/append.js";
import { environmentsAppendFunction } from "./0400-environments.js";

// Issue #21: audit_log is partitioned by time, so the rows that leave the hot window can be archived
// and dropped a partition at a time instead of deleted row by row.
//
// - The table becomes `partition by range (at)`. The rows already there stay where they are: the old
//   table is attached as the first partition, `audit_log_initial`, covering everything before the
//   next midnight (UTC). Its primary key (seq) is replaced by the parent's (at, seq) and an index on
//   seq, which PostgreSQL builds on attach.
// - `audit_partitions` registers every partition: its range and, once archived, where its rows went.
//   It is how the service knows where older rows are after their partition is dropped.
// - keyward_audit_cover(until, period) creates partitions up to `until`; the append function calls it
//   when a row falls past the newest one, so an append never fails for want of a partition, even if
//   the scheduler has not run. A long gap (a clock jump) gets one partition spanning it, not hundreds.
// - The append function also refuses a batch whose first row is older than the chain's head: the
//   writers clamp `at` to never go back (see appendAuditAfter), so a partition always holds one
//   contiguous run of seqs, which is what lets an archive link to its neighbours.
// - The head is found with `order by at desc, seq desc`: PostgreSQL scans the newest partition's
//   (at, seq) index first and stops at the first row (an ordered Append).
const PARTITION_LOCK = AUDIT_LOCK + 1;

const coverFunction = sql`create or replace function keyward_audit_cover(p_until timestamptz, p_period interval default null)
  returns integer language plpgsql volatile as $$
  declare last_end timestamptz; period interval; s timestamptz; e timestamptz; made integer := 0;
  begin
    select max(ends_at) into last_end from audit_partitions;
    if last_end is not null and p_until < last_end then return 0; end if;
    perform pg_advisory_xact_lock(${sql.lit(PARTITION_LOCK)});
    select max(ends_at) into last_end from audit_partitions;
    period := coalesce(p_period,
      (select p.ends_at - p.starts_at from audit_partitions p where p.starts_at is not null order by p.ends_at desc limit 1),
      interval '7 days');
    while p_until >= last_end loop
      s := last_end;
      -- Past a gap of more than two periods, one partition spans the gap up to the period holding p_until.
      if p_until - s > 2 * period then
        e := s + floor(extract(epoch from (p_until - s)) / extract(epoch from period)) * period;
      else
        e := s + period;
      end if;
      execute format('create table %I partition of audit_log for values from (%L) to (%L)', 'audit_log_p' || to_char(s at time zone 'UTC', 'YYYYMMDD"t"HH24MI'), s, e);
      insert into audit_partitions (name, starts_at, ends_at, state) values ('audit_log_p' || to_char(s at time zone 'UTC', 'YYYYMMDD"t"HH24MI'), s, e, 'hot');
      last_end := e;
      made := made + 1;
    end loop;
    return made;
  end $$`;

const appendFunction = sql`create or replace function keyward_audit_append_after(
    p_seq bigint, p_hash text, p_seqs bigint[], p_at timestamptz[], p_actor_type text[], p_actor_id text[], p_action text[],
    p_target text[], p_result text[], p_reason text[], p_ip text[], p_user_agent text[], p_request_id text[], p_count integer[], p_environment text[], p_prev_hash text[], p_hash_out text[])
  returns table (appended boolean, head_seq bigint, head_hash text, head_at timestamptz) language plpgsql volatile as $$
  declare cur_seq bigint; cur_hash text; cur_at timestamptz;
  begin
    perform pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK)});
    select a.seq, a.hash, a.at into cur_seq, cur_hash, cur_at from audit_log a order by a.at desc, a.seq desc limit 1;
    -- Every row archived and dropped: the chain goes on from the newest archive's end.
    if cur_seq is null then
      select p.last_seq, p.after_hash into cur_seq, cur_hash from audit_partitions p where p.state = 'archived' order by p.last_seq desc limit 1;
    end if;
    cur_seq := coalesce(cur_seq, 0);
    cur_hash := coalesce(cur_hash, repeat('0', 64));
    if cur_seq <> p_seq or cur_hash <> p_hash or p_at[1] < date_trunc('milliseconds', cur_at) then
      return query select false, cur_seq, cur_hash, cur_at;
      return;
    end if;
    perform keyward_audit_cover(p_at[array_upper(p_at, 1)]);
    insert into audit_log (seq, at, actor_type, actor_id, action, target, result, reason, ip, user_agent, request_id, count, environment, prev_hash, hash)
      select * from unnest(p_seqs, p_at, p_actor_type, p_actor_id, p_action, p_target, p_result, p_reason, p_ip, p_user_agent, p_request_id, p_count, p_environment, p_prev_hash, p_hash_out);
    return query select true, p_seqs[array_upper(p_seqs, 1)], p_hash_out[array_upper(p_hash_out, 1)], p_at[array_upper(p_at, 1)];
  end $$`;

const appendSignature = sql`keyward_audit_append_after(bigint, text, bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], integer[], text[], text[], text[])`;

const columns = sql`seq bigint not null default nextval('audit_log_seq_seq'),
  at timestamptz not null, actor_type text not null, actor_id text not null, action text not null, target text not null,
  result text not null, reason text, ip text, user_agent text, request_id text, count integer, environment text,
  prev_hash text not null, hash text not null`;

export const auditPartitions: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table audit_partitions (
        name text primary key,
        starts_at timestamptz,
        ends_at timestamptz not null unique,
        state text not null default 'hot' check (state in ('hot', 'archived', 'dropped_empty')),
        first_seq bigint, last_seq bigint, row_count bigint,
        before_hash text, after_hash text,
        archive_name text, archive_sink text, archived_at timestamptz
      )`.execute(db);
    // Everything so far, and anything stamped before the next midnight, stays in the old table.
    const { rows } = await sql<{ boundary: string }>`select to_char(date_trunc('day', greatest(now(), coalesce((select max(at) from audit_log), now())) at time zone 'UTC') + interval '1 day', 'YYYY-MM-DD') || ' 00:00:00+00' as boundary`.execute(db);
    // A partition bound is DDL: a literal, not a parameter.
    const boundary = sql.lit(rows[0]!.boundary);
    await sql`alter table audit_log rename to audit_log_initial`.execute(db);
    await sql`alter table audit_log_initial drop constraint audit_log_pkey`.execute(db);
    await sql`create table audit_log (${columns}, primary key (at, seq)) partition by range (at)`.execute(db);
    await sql`create index audit_log_seq on audit_log (seq)`.execute(db);
    await sql`alter sequence audit_log_seq_seq owned by audit_log.seq`.execute(db);
    await sql`alter table audit_log attach partition audit_log_initial for values from (minvalue) to (${boundary})`.execute(db);
    await sql`insert into audit_partitions (name, starts_at, ends_at, state) values ('audit_log_initial', null, ${boundary}, 'hot')`.execute(db);
    await coverFunction.execute(db);
    // The result gains head_at, which `create or replace` cannot change.
    await sql`drop function ${appendSignature}`.execute(db);
    await appendFunction.execute(db);
    // The next week exists before the first append needs it.
    await sql`select keyward_audit_cover(now() + interval '7 days')`.execute(db);
  },
  async down(db: Kysely<any>) {
    // Back to one table: only possible while no partition was dropped (the rows are all still here).
    await sql`create table audit_log_flat (seq bigint primary key default nextval('audit_log_seq_seq'), ${sql.raw("at timestamptz not null, actor_type text not null, actor_id text not null, action text not null, target text not null, result text not null, reason text, ip text, user_agent text, request_id text, count integer, environment text, prev_hash text not null, hash text not null")})`.execute(db);
    await sql`insert into audit_log_flat select * from audit_log`.execute(db);
    await sql`alter sequence audit_log_seq_seq owned by audit_log_flat.seq`.execute(db);
    await sql`drop table audit_log`.execute(db);
    await sql`alter table audit_log_flat rename to audit_log`.execute(db);
    await sql`alter table audit_log rename constraint audit_log_flat_pkey to audit_log_pkey`.execute(db);
    await sql`drop function ${appendSignature}`.execute(db);
    await environmentsAppendFunction.execute(db);
    await sql`drop function if exists keyward_audit_cover(timestamptz, interval)`.execute(db);
    await sql`drop table audit_partitions`.execute(db);
  },
};
