import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #16: named signing keys. A key is a `secrets` row (same name space per environment, same
// access requests and grants, versions in `secret_versions` sealed like values, so KEK rotation,
// rewrap and backups cover them) marked here with its algorithm. `min_version`: versions below it
// are retired and no longer verify.
export const signingKeys: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table signing_keys (
      secret_id text primary key references secrets (id) on delete cascade,
      algorithm text not null check (algorithm in ('hmac-sha256', 'ed25519')),
      min_version integer not null default 1 check (min_version >= 1),
      created_at timestamptz not null,
      created_by text not null
    )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table signing_keys`.execute(db);
  },
};
