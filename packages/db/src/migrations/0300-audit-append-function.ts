import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { AUDIT_LOCK } from "../queries/audit/append.js";

// The group-commit writer's one-statement append (issue #20). It takes the audit lock, then reads
// the chain's head in a fresh snapshot (each statement of a volatile PL/pgSQL function gets one), and
// inserts only when the head is the one the caller chained its rows after; otherwise it inserts
// nothing and returns the real head, and the caller re-chains. So writers that disagree about the
// head never collide on the primary key (which logged an ERROR per collision in PostgreSQL).
//
// It also adds audit_log.count (issue #12 §4): how many like events one row stands for, when
// refusals of unauthenticated callers are audited in aggregate. Null on every other row, and then
// left out of the row's HMAC, so rows written before keep their hashes.
export const auditAppendFunction: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table audit_log add column count integer`.execute(db);
    await sql`create or replace function keyward_audit_append_after(
        p_seq bigint, p_hash text, p_seqs bigint[], p_at timestamptz[], p_actor_type text[], p_actor_id text[], p_action text[],
        p_target text[], p_result text[], p_reason text[], p_ip text[], p_user_agent text[], p_request_id text[], p_count integer[], p_prev_hash text[], p_hash_out text[])
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
        insert into audit_log (seq, at, actor_type, actor_id, action, target, result, reason, ip, user_agent, request_id, count, prev_hash, hash)
          select * from unnest(p_seqs, p_at, p_actor_type, p_actor_id, p_action, p_target, p_result, p_reason, p_ip, p_user_agent, p_request_id, p_count, p_prev_hash, p_hash_out);
        return query select true, p_seqs[array_upper(p_seqs, 1)], p_hash_out[array_upper(p_hash_out, 1)];
      end $$`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop function if exists keyward_audit_append_after(bigint, text, bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], integer[], text[], text[])`.execute(db);
    await sql`alter table audit_log drop column count`.execute(db);
  },
};
