import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #14: a secret's policy comes from the app's schema and speaks one vocabulary.
// - `reminder_days`: how many days before the rotation is due reminders start (default 14, the
//   window every secret had until now).
// - `type` moves to the schema's vocabulary (the proto's SecretType, kebab case). The admin API's
//   old free-form examples map to it; any other label is kept in the description, so nothing is
//   lost, and the type becomes "generic". The list is written out: a migration is a snapshot.
const TYPES = ["api-key", "llm-api-key", "database-url", "oauth-token", "password", "certificate", "generic"];

export const secretPolicy: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table secret_definitions add column reminder_days integer not null default 14 check (reminder_days between 1 and 365)`.execute(db);
    await sql`update secret_definitions set type = case type
        when 'api_key' then 'api-key' when 'llm_api_key' then 'llm-api-key' when 'database_url' then 'database-url'
        when 'oauth_token' then 'oauth-token' when 'database_password' then 'password' else type end`.execute(db);
    await sql`update secret_definitions
      set description = case when description = '' then 'type: ' || type else description || ' (type: ' || type || ')' end, type = 'generic'
      where type <> all(${sql.val(TYPES)}::text[])`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table secret_definitions drop column reminder_days`.execute(db);
  },
};
