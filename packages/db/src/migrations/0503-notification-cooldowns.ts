import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: reminders are not sent again for the same (kind, subject) within a cooldown. The row
// is written in the transaction that records the digest event, so a crash leaves both or neither.
export const notificationCooldowns: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table notification_cooldowns (
      kind text not null,
      subject text not null,
      last_sent_at timestamptz not null,
      primary key (kind, subject)
    )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table notification_cooldowns`.execute(db);
  },
};
