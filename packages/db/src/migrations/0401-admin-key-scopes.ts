import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Issue #13: an admin key may be scoped to some environments (null = all, what every existing key
// keeps), and names the person who owns it, so later steps can stop one person approving their own
// change with two keys.
export const adminKeyScopes: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table admin_api_keys add column environments text[]`.execute(db);
    await sql`alter table admin_api_keys add column owner text`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table admin_api_keys drop column owner`.execute(db);
    await sql`alter table admin_api_keys drop column environments`.execute(db);
  },
};
