import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

// A service's schema may describe a secret differently from what admins stored; the gRPC server
// records the latest mismatch per (secret, service) for admins to reconcile (issue #5).
export const grpcDescriptionMismatches: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("secret_description_mismatches")
      .addColumn("secret_name", "text", (c) => c.notNull())
      .addColumn("service_name", "text", (c) => c.notNull())
      .addColumn("client_description", "text", (c) => c.notNull())
      .addColumn("stored_description", "text", (c) => c.notNull())
      .addColumn("first_seen_at", "timestamptz", (c) => c.notNull())
      .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
      .addColumn("seen_count", "integer", (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint("secret_description_mismatches_pk", ["secret_name", "service_name"])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable("secret_description_mismatches").execute();
  },
};
