import type { Clock, Logger, SigningKeys } from "@keyward/common";
import type { Database } from "@keyward/db";
import type { JobDefinition } from "@keyward/notify";
import type { ArchiveSink } from "@keyward/audit-archive";
import type { Kysely } from "kysely";
import { runAuditRetention, type RetentionSettings } from "./run.js";

/**
 * The `audit-retention` job: hourly, on one replica at a time, keeps partitions ahead and archives
 * the ones that left the hot window. A partition it cannot archive is logged and left in place.
 */
export function auditRetentionJob(deps: { db: Kysely<Database>; auditKey: Uint8Array; signer: SigningKeys; sink: ArchiveSink; clock: Clock; logger: Logger }, settings: RetentionSettings): JobDefinition {
  return {
    name: "audit-retention",
    schedule: { everyMs: 3_600_000 },
    run: async () => {
      const run = await runAuditRetention({ ...deps, actor: { type: "system", id: "keyward" } }, settings);
      for (const o of run.outcomes) {
        if (o.outcome === "archived") deps.logger.info({ partition: o.partition, archive: o.archive, rows: o.rows, sink: deps.sink.description }, "audit partition archived and dropped");
        else if (o.outcome === "dropped_empty") deps.logger.info({ partition: o.partition }, "empty audit partition dropped");
        else deps.logger.error({ partition: o.partition, why: o.why, sink: deps.sink.description }, "audit partition not archived");
      }
    },
  };
}
