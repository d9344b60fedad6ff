import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: a burst of identical events (same type, environment and subject) to one channel is
// sent as one message with a count: events routed while an earlier one still waits unsent join
// its delivery instead of making their own.
export const deliveryMerges: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table deliveries add column merged_event_ids text[] not null default '{}'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table deliveries drop column merged_event_ids`.execute(db);
  },
};
