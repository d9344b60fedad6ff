import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #12 §6: a value's AAD now binds the secret's name too (v2). Rows stored before are v1 until
// the service re-seals them at start (upgradeValueBindings); reads accept only v2, so setting a row
// back to 1 in the database does not get an old binding accepted.
export const valueBinding: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table secret_versions add column aad_version smallint not null default 1`.execute(db);
    await sql`alter table secret_versions alter column aad_version set default 2`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table secret_versions drop column aad_version`.execute(db);
  },
};
