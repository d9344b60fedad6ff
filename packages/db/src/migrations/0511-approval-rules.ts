import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #13: an environment can carry rules that decide new tokens and access requests on their own
// (approve `web-*` tokens in development; reject `scratch-*` anywhere). The patterns are globs over
// service (and secret) names; the approving kinds never fire in a protected environment (checked
// at fire time, since protection can be turned on after a rule was made).
export const approvalRules: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table approval_rules (
      id text primary key,
      environment_id text not null references environments (id) on delete cascade,
      kind text not null check (kind in ('token.approve', 'access.grant', 'token.reject', 'access.reject')),
      service_pattern text not null check (char_length(service_pattern) between 1 and 128),
      secret_pattern text check (char_length(secret_pattern) between 1 and 128),
      created_by text not null,
      created_at timestamptz not null,
      check (secret_pattern is null or kind in ('access.grant', 'access.reject'))
    )`.execute(db);
    await sql`create index approval_rules_by_environment on approval_rules (environment_id, kind)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table approval_rules`.execute(db);
  },
};
