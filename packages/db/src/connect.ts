import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { listenPostgres, type Listener, type ListenOptions } from "./changes/listen-postgres.js";
import { PreparingClient } from "./prepared.js";
import { parseTimestamptz, TIMESTAMPTZ_OID } from "./timestamptz.js";
import type { Database } from "./schema.js";

export type DatabaseKind = "pglite" | "postgres";

export interface KeywardDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /**
   * LISTEN on `channel`: PGlite's own listen (in-process, never lost), or a dedicated pg client with
   * a heartbeat that reconnects when the connection drops or goes silent (see ListenOptions).
   */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<Listener>;
  close(): Promise<void>;
}

// pg returns bigint as a string and bytea as a Buffer; PGlite returns a number and a Uint8Array.
// We read int8 as a number on pg too (counters and seqs stay far below 2^53), in this one place.
const INT8_OID = 20;
function pgTypes() {
  return {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === INT8_OID) return (v: string) => Number(v);
      if (oid === TIMESTAMPTZ_OID && format !== "binary") return parseTimestamptz;
      return pg.types.getTypeParser(oid, format as "text");
    },
  };
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /**
   * Prepare the hot statements once per connection (default true; see PREPARED). Turn it off behind
   * a pooler that hands one session's statements to another (PgBouncer in transaction mode without prepared-statement support: before 1.21, or with max_prepared_statements at 0, its default before 1.24).
   */
  preparedStatements?: boolean;
}

/** PostgreSQL through `pg`, e.g. `postgres://127.0.0.1:5432/keyward`. */
export function connectPostgres(databaseUrl: string, options: PostgresOptions = {}): KeywardDatabase {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10, types: pgTypes(), ...(options.preparedStatements === false ? {} : { Client: PreparingClient }) });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<Listener>();
  return {
    db,
    kind: "postgres",
    async listen(channel, onPayload, listenOptions) {
      const listener = await listenPostgres(databaseUrl, channel, onPayload, listenOptions);
      listeners.add(listener);
      return {
        close: async () => {
          listeners.delete(listener);
          await listener.close();
        },
      };
    },
    async close() {
      for (const listener of [...listeners]) await listener.close();
      listeners.clear();
      await db.destroy();
    },
  };
}

/** Wraps an open PGlite instance (tests pass a clone of a migrated template). */
export function wrapPglite(pglite: PGlite): KeywardDatabase {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: "pglite",
    // One in-process connection: PGlite delivers NOTIFYs from any query on it after commit.
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload);
      let open = true;
      return {
        close: async () => {
          if (!open || pglite.closed) return;
          open = false;
          await unlisten();
        },
      };
    },
    close: () => db.destroy(),
  };
}

/** Embedded PGlite persisted in `dataDir`. */
export async function connectPglite(dataDir: string): Promise<KeywardDatabase> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(path.resolve(dataDir));
  return wrapPglite(pglite);
}

/** PostgreSQL when `databaseUrl` is set, else embedded PGlite in `dataDir/pglite`. */
export async function connectDatabase(options: { databaseUrl?: string | undefined; dataDir: string; preparedStatements?: boolean }): Promise<KeywardDatabase> {
  return options.databaseUrl ? connectPostgres(options.databaseUrl, { ...(options.preparedStatements !== undefined ? { preparedStatements: options.preparedStatements } : {}) }) : connectPglite(path.join(options.dataDir, "pglite"));
}
