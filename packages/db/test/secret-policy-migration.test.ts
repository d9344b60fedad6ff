import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { keywardMigrator } from "../src/migrate.js";
import { backends } from "./harness.js";
import type { KeywardDatabase } from "../src/index.js";

// Migration 0521 moves secret types to the one vocabulary without losing a label.
describe.each(backends)("migration 0521-secret-policy on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  it("maps the old labels, keeps any other in the description, and adds a 14-day reminder window", async () => {
    open = await fresh();
    const db = open.db;
    const migrator = keywardMigrator(db);
    // Back to just before 0521 (and the migrations after it: 0530, 0540, 0550), then forward again with old labels in place.
    expect((await migrator.migrateTo("0520-change-request-events")).error).toBeUndefined();
    const at = new Date("2026-01-01T00:00:00Z");
    const rows = [
      ["A", "api_key", "Stripe"],
      ["B", "database_password", ""],
      ["C", "ssh_key", "deploy key"],
      ["D", "ssh_key", ""],
      ["E", "certificate", "tls"],
    ];
    for (const [name, type, description] of rows) {
      await sql`insert into secret_definitions (name, description, type, created_at, created_by, updated_at, updated_by) values (${name}, ${description}, ${type}, ${at}, 't', ${at}, 't')`.execute(db);
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const after = await db.selectFrom("secret_definitions").select(["name", "type", "description", "reminder_days"]).where("name", "in", ["A", "B", "C", "D", "E"]).orderBy("name").execute();
    expect(after).toEqual([
      { name: "A", type: "api-key", description: "Stripe", reminder_days: 14 },
      { name: "B", type: "password", description: "", reminder_days: 14 },
      { name: "C", type: "generic", description: "deploy key (type: ssh_key)", reminder_days: 14 },
      { name: "D", type: "generic", description: "type: ssh_key", reminder_days: 14 },
      { name: "E", type: "certificate", description: "tls", reminder_days: 14 },
    ]);
  });
});
