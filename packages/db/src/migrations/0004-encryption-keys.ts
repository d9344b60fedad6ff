import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const encryptionKeys: Migration = {
  async up(db: Kysely<any>) {
    // KEK versions, each wrapped by the master key. A row with no wrapped key is the master key
    // itself, which wrapped data keys directly before this migration (rewrap moves them off it).
    await db.schema
      .createTable("encryption_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("version", "integer", (c) => c.notNull().unique())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active','retiring','retired')`))
      .addColumn("wrapped_key", "bytea")
      .addColumn("wrapped_by", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("retired_at", "timestamptz")
      .addColumn("retired_by", "text")
      .execute();
    // Exactly one active KEK, even with several replicas rotating at once.
    await sql`create unique index encryption_keys_one_active on encryption_keys (status) where status = 'active'`.execute(db);
    // Rewrap and `keys status` find data keys by the KEK that wraps them.
    await db.schema.createIndex("secret_versions_key_id").on("secret_versions").column("key_id").execute();
    // The master key's check value (a fingerprint) and, for a passphrase, the KDF parameters.
    await db.schema
      .createTable("master_key_settings")
      .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn("fingerprint", "text", (c) => c.notNull())
      .addColumn("kdf", "text")
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable("master_key_settings").execute();
    await db.schema.dropIndex("secret_versions_key_id").execute();
    await db.schema.dropTable("encryption_keys").execute();
  },
};
