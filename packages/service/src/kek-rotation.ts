import type { Clock, Envelope, Logger, MasterKeySource } from "@keyward/common";
import { getKeyringStatus, retireKek, rewrapDataKeys, rotateKek, type Database } from "@keyward/db";
import type { JobDefinition } from "@keyward/notify";
import type { Kysely } from "kysely";

const DAY_MS = 86_400_000;
export const KEK_ROTATION_JOB = "kek-rotation";

/**
 * KEYWARD_KEK_ROTATION_DAYS (seed 003: "rotate the KEK every 30 days"): once an hour, on one replica,
 * makes a new KEK active when the active one is that old, then finishes any rotation in progress
 * (its own or an operator's): rewraps every data key still on an older KEK, and retires a KEK once
 * nothing needs it. Each step is the audited operation `keys rotate|rewrap|retire` runs, as
 * `system:kek-rotation`; a run cut short simply continues next hour.
 */
export function kekRotationJob(deps: { db: Kysely<Database>; envelope: Envelope; master: Buffer | MasterKeySource; auditKey: Uint8Array; clock: Clock; logger: Logger }, rotateAfterDays: number): JobDefinition {
  return {
    name: KEK_ROTATION_JOB,
    schedule: { everyMs: 3_600_000 },
    async run({ now, signal }) {
      const change = { auditKey: deps.auditKey, actor: "system:kek-rotation", at: now };
      const active = (await getKeyringStatus(deps.db)).keys.find((k) => k.status === "active");
      if (active && now.getTime() - new Date(active.createdAt).getTime() >= rotateAfterDays * DAY_MS) {
        const rotated = await rotateKek(deps.db, deps.master, change);
        if (rotated.kind === "ok") deps.logger.info({ active: rotated.active, previous: rotated.previous }, "rotated the key-encryption key (KEYWARD_KEK_ROTATION_DAYS)");
      }
      if (signal.aborted) return;
      const before = await getKeyringStatus(deps.db);
      if (before.keys.some((k) => k.status === "retiring")) {
        // The envelope notices a new active KEK and reloads before it rewraps.
        await rewrapDataKeys(deps.db, deps.envelope, { auditKey: deps.auditKey, actor: change.actor, clock: () => deps.clock.now() });
        for (const k of (await getKeyringStatus(deps.db)).keys.filter((k) => k.status === "retiring")) {
          const retired = await retireKek(deps.db, k.id, change);
          if (retired.kind === "ok") deps.logger.info({ retired: k.id }, "retired a key-encryption key no data key needs");
        }
      }
    },
  };
}
