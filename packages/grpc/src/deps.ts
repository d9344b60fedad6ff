import type { Clock, Envelope, Logger } from "@keyward/common";
import type { AuditWriter, ChangeHub, Database, KeywardDatabase } from "@keyward/db";
import type { Kysely } from "kysely";
import type { Timers } from "./read-fold.js";

/** Everything the gRPC layer needs, injected by the caller (the service, or a test). */
export interface GrpcDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  logger: Logger;
  clock: Clock;
  /**
   * The database handle that `db` belongs to. With it the server listens for change notifications:
   * WatchSecrets works and tokens, grants and values are cached (invalidated on change). Without
   * it every call reads the database and WatchSecrets answers UNIMPLEMENTED.
   */
  database?: KeywardDatabase;
  /** A change feed shared with the rest of the process (`createChangeHub` on `database`); the server subscribes its own when none is given. Its owner closes it. */
  changes?: ChangeHub;
  /** A group-commit audit writer shared with the rest of the process (one chain head per process); the server makes its own when none is given. */
  auditWriter?: AuditWriter;
  /** One-shot timers that end audit fold windows (default: the global ones); tests pass their own to end a window deterministically. */
  timers?: Timers;
}
