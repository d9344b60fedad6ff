import type { Clock, Logger } from "@keyward/common";
import type { Database } from "@keyward/db";
import { expireOverdueChangeRequests } from "@keyward/http";
import type { JobDefinition } from "@keyward/notify";
import type { Kysely } from "kysely";

/** Every minute, expire pending change requests past their lifetime (destroying held values), audited one by one. */
export function changeRequestExpiryJob(deps: { db: Kysely<Database>; auditKey: Uint8Array; clock: Clock; logger: Logger }): JobDefinition {
  return {
    name: "change-request-expiry",
    schedule: { everyMs: 60_000 },
    run: async () => {
      const expired = await expireOverdueChangeRequests(deps);
      if (expired > 0) deps.logger.info({ expired }, "expired overdue change requests");
    },
  };
}
