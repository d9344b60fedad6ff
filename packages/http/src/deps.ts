import type { Clock, Envelope, Logger } from "@keyward/common";
import type { Database } from "@keyward/db";
import type { Kysely } from "kysely";

export interface HttpDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  logger: Logger;
  clock: Clock;
}
