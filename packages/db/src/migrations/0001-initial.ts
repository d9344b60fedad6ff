import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// Plain PostgreSQL that PGlite runs too: one migration set for both.
export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("secrets")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("type", "text", (c) => c.notNull().defaultTo("generic"))
      .addColumn("source", "text")
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('stub','active','disabled')`))
      .addColumn("rotation_days", "integer", (c) => c.notNull().defaultTo(90))
      .addColumn("current_version", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("updated_at", "timestamptz", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("secret_versions")
      .addColumn("secret_id", "text", (c) => c.notNull().references("secrets.id").onDelete("cascade"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("ciphertext", "bytea", (c) => c.notNull())
      .addColumn("wrapped_key", "bytea", (c) => c.notNull())
      .addColumn("key_id", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("secret_versions_pk", ["secret_id", "version"])
      .execute();
    await db.schema
      .createTable("service_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("service_name", "text", (c) => c.notNull())
      .addColumn("service_version", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','approved','revoked')`))
      .addColumn("requested_at", "timestamptz", (c) => c.notNull())
      .addColumn("approved_at", "timestamptz")
      .addColumn("approved_by", "text")
      .addColumn("last_used_at", "timestamptz")
      .addColumn("access_count", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("expires_at", "timestamptz")
      .execute();
    await db.schema
      .createTable("access_requests")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("secret_name", "text", (c) => c.notNull())
      .addColumn("service_name", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','granted','denied','revoked')`))
      .addColumn("requested_at", "timestamptz", (c) => c.notNull())
      .addColumn("decided_at", "timestamptz")
      .addColumn("decided_by", "text")
      .addColumn("access_count", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("last_accessed_at", "timestamptz")
      // One request per (secret, service): repeated calls never duplicate it, even across replicas.
      .addUniqueConstraint("access_requests_secret_service", ["secret_name", "service_name"])
      .execute();
    await db.schema
      .createTable("audit_log")
      .addColumn("seq", "bigserial", (c) => c.primaryKey())
      .addColumn("at", "timestamptz", (c) => c.notNull())
      .addColumn("actor_type", "text", (c) => c.notNull())
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("target", "text", (c) => c.notNull())
      .addColumn("result", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("ip", "text")
      .addColumn("user_agent", "text")
      .addColumn("request_id", "text")
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const t of ["audit_log", "access_requests", "service_tokens", "secret_versions", "secrets"]) {
      await db.schema.dropTable(t).execute();
    }
  },
};
