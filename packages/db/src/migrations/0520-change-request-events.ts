import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #13/#14: a change request is news for people (a callback hook, webhook and Slack
// subscribers). A trigger announces every change request that is opened, approved or decided on the
// change channel, and writes the outbox event for the opened / applied / rejected / expired ones in
// the transaction of the change: every path (admin API, expiry sweep, a read that finds one expired)
// is covered without each remembering to. Names and counts only: the held ciphertext never leaves.
// Environment names are lower-case slugs, so the console link needs no escaping.
const onChange = sql`create or replace function keyward_change_request_changed() returns trigger language plpgsql as $$
  declare env_name text; event_type text;
  begin
    select e.name into env_name from environments e where e.id = new.environment_id;
    perform pg_notify('keyward_changes', json_build_object('kind', 'change_request', 'id', new.id, 'change', new.kind, 'target', new.target,
      'status', new.status, 'approvals', jsonb_array_length(new.approvals), 'approvalsRequired', new.approvals_required,
      'environmentId', new.environment_id, 'environment', env_name)::text);
    if tg_op = 'INSERT' then
      event_type := 'change_request.created';
    elsif new.status is distinct from old.status and new.status in ('applied', 'rejected', 'expired') then
      event_type := 'change_request.' || new.status;
    end if;
    if event_type is not null then
      insert into outbox (id, type, environment, subject, link, data) values (
        'evt_' || replace(gen_random_uuid()::text, '-', ''), event_type, env_name, new.kind || ' ' || new.target,
        '/admin/change-requests?environment=' || coalesce(env_name, ''),
        jsonb_build_object('changeRequestId', new.id, 'kind', new.kind, 'target', new.target, 'requestedBy', new.requested_by,
          'approvals', jsonb_array_length(new.approvals), 'approvalsRequired', new.approvals_required));
    end if;
    return null;
  end $$`;

export const changeRequestEvents: Migration = {
  async up(db: Kysely<any>) {
    await onChange.execute(db);
    await sql`create trigger keyward_change_requests_inserted after insert on change_requests for each row execute function keyward_change_request_changed()`.execute(db);
    await sql`create trigger keyward_change_requests_updated after update on change_requests for each row
      when (old.status is distinct from new.status or old.approvals is distinct from new.approvals) execute function keyward_change_request_changed()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger if exists keyward_change_requests_updated on change_requests`.execute(db);
    await sql`drop trigger if exists keyward_change_requests_inserted on change_requests`.execute(db);
    await sql`drop function if exists keyward_change_request_changed()`.execute(db);
  },
};
