import type { Clock, Envelope, Logger } from "@keyward/common";
import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";

/** Everything the gRPC layer needs, injected by the caller (the service, or a test). */
export interface GrpcDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  logger: Logger;
  clock: Clock;
}
