import type { Clock, Envelope, Logger } from "@keyward/common";
import type { AuditWriter, Database } from "@keyward/db";
import type { Kysely } from "kysely";
import type { OidcOptions } from "./auth/oidc.js";
import type { CorsOptions } from "./cors.js";

export interface HttpDeps {
  db: Kysely<Database>;
  envelope: Envelope;
  auditKey: Uint8Array;
  logger: Logger;
  clock: Clock;
  /** A shared group-commit audit writer; the server makes its own when none is given. */
  auditWriter?: AuditWriter;
}

export interface HttpOptions {
  /** Allowed browser origins; none by default (same-origin only). */
  cors?: CorsOptions;
  /** The largest request body accepted, in bytes (default 128 KiB). */
  maxBodyBytes?: number;
  /** Accept OIDC JWT bearers as well as admin keys. */
  oidc?: OidcOptions;
}
