import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const adminKeys: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("admin_api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("key_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("revoked_at", "timestamptz")
      .addColumn("last_used_at", "timestamptz")
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable("admin_api_keys").execute();
  },
};
