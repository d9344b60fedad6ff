import { sql, type Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** A credential whose scheduled re-verification is due, with what the check needs to find its value. */
export interface DueCredentialCheck {
  secretId: string;
  name: string;
  type: string;
  environmentId: string;
  environment: string;
}

/**
 * Claims up to `limit` scheduled checks due at `now` on active secrets with a value: each one's
 * next_check_at moves `claimMs` ahead (so a crashed worker's claim comes back) and it is marked
 * verifying. SKIP LOCKED lets replicas claim at once without taking the same check twice.
 */
export async function claimDueCredentialChecks(db: Kysely<Database>, claim: { now: Date; limit: number; claimMs: number }): Promise<DueCredentialCheck[]> {
  const { rows } = await sql<DueCredentialCheck>`
    with due as (
      select c.secret_id from credential_checks c
      join secrets s on s.id = c.secret_id
      where c.reverify_every_hours is not null and c.next_check_at <= ${claim.now}
        and s.status = 'active' and s.current_version > 0
      order by c.next_check_at limit ${claim.limit}
      for update of c skip locked)
    update credential_checks c
      set next_check_at = ${claim.now}::timestamptz + ${claim.claimMs} * interval '1 millisecond', verifying_since = ${claim.now}
      from due, secrets s, secret_definitions d, environments e
      where c.secret_id = due.secret_id and s.id = c.secret_id and d.name = s.name and e.id = s.environment_id
      returning c.secret_id as "secretId", s.name, d.type, s.environment_id as "environmentId", e.name as environment`.execute(db);
  return rows;
}
