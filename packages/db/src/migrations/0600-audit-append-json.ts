import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { AUDIT_LOCK } from "../queries/audit/append.js";

// Issue #18: keyward_audit_append_rows takes a batch of chained audit rows as ONE jsonb array of
// objects named as audit_log's columns, where keyward_audit_append_after (0300, 0400, 0570) takes
// fifteen arrays. Every GetSecret batch and every change group sends it: on the server, turning
// fifteen arrays into PostgreSQL array literals was a tenth of what a GetSecret call allocated
// (bench/README.md), and JSON.stringify is native. Same lock, head check, partition cover and
// result as keyward_audit_append_after, which stays for servers of the previous release during a
// rolling upgrade.
const appendRows = sql`create or replace function keyward_audit_append_rows(p_seq bigint, p_hash text, p_rows jsonb)
  returns table (appended boolean, head_seq bigint, head_hash text, head_at timestamptz) language plpgsql volatile as $$
  declare cur_seq bigint; cur_hash text; cur_at timestamptz; last_row jsonb := p_rows -> -1;
  begin
    perform pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK)});
    select a.seq, a.hash, a.at into cur_seq, cur_hash, cur_at from audit_log a order by a.at desc, a.seq desc limit 1;
    -- Every row archived and dropped: the chain goes on from the newest archive's end.
    if cur_seq is null then
      select p.last_seq, p.after_hash into cur_seq, cur_hash from audit_partitions p where p.state = 'archived' order by p.last_seq desc limit 1;
    end if;
    cur_seq := coalesce(cur_seq, 0);
    cur_hash := coalesce(cur_hash, repeat('0', 64));
    if cur_seq <> p_seq or cur_hash <> p_hash or (p_rows -> 0 ->> 'at')::timestamptz < date_trunc('milliseconds', cur_at) then
      return query select false, cur_seq, cur_hash, cur_at;
      return;
    end if;
    perform keyward_audit_cover((last_row ->> 'at')::timestamptz);
    insert into audit_log (seq, at, actor_type, actor_id, action, target, result, reason, ip, user_agent, request_id, count, environment, prev_hash, hash)
      select r.seq, r.at, r.actor_type, r.actor_id, r.action, r.target, r.result, r.reason, r.ip, r.user_agent, r.request_id, r.count, r.environment, r.prev_hash, r.hash
      from jsonb_to_recordset(p_rows) as r(seq bigint, at timestamptz, actor_type text, actor_id text, action text, target text, result text, reason text,
        ip text, user_agent text, request_id text, count integer, environment text, prev_hash text, hash text);
    return query select true, (last_row ->> 'seq')::bigint, last_row ->> 'hash', (last_row ->> 'at')::timestamptz;
  end $$`;

export const auditAppendJson: Migration = {
  async up(db: Kysely<any>) {
    await appendRows.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop function if exists keyward_audit_append_rows(bigint, text, jsonb)`.execute(db);
  },
};
