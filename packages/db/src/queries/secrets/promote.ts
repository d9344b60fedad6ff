import type { Kysely } from "kysely";
import type { Envelope } from "@keyward/common";
import type { Database } from "../../schema.js";
import { inTransaction } from "../transaction.js";
import { createSecret } from "./create.js";
import { getSecretByName } from "./get-by-name.js";
import { readSecretValue } from "./read-value.js";
import { setSecretValue } from "./set-value.js";

export type PromoteResult =
  | { kind: "ok"; fromVersion: number; version: number; createdInTarget: boolean }
  /** The secret has no row in the source environment. */
  | { kind: "not_found" }
  | { kind: "no_value" }
  | { kind: "source_disabled" }
  | { kind: "target_disabled" }
  | { kind: "version_conflict"; currentVersion: number }
  | { kind: "integrity"; problem: string }
  /** The name is a signing key in either environment: its material is never copied. */
  | { kind: "signing_key" };

/**
 * Copies a secret's current value from one environment to another server-side: opened under the
 * source row's binding and sealed again under the target's as a new version there (the target row
 * is made when the target has none). The value exists only in this call's memory; it is never
 * returned. One transaction (the caller's, so the audit row commits with it).
 */
export async function promoteSecretValue(
  db: Kysely<Database>,
  envelope: Envelope,
  input: { name: string; fromEnvironmentId: string; toEnvironmentId: string; expectedVersion?: number; actor: string; at: Date },
): Promise<PromoteResult> {
  return inTransaction(db, async (trx) => {
    const source = await readSecretValue(trx, envelope, { environmentId: input.fromEnvironmentId, name: input.name });
    if (source.kind === "disabled") return { kind: "source_disabled" } as const;
    if (source.kind !== "ok") return source;
    // A refusal must leave nothing behind: a target row made here would commit beside a "refused"
    // audit row. A new row is at version 0, so any other expected version is refused before it.
    if (input.expectedVersion !== undefined && input.expectedVersion !== 0 && !(await getSecretByName(trx, { environmentId: input.toEnvironmentId, name: input.name }))) {
      return { kind: "version_conflict", currentVersion: 0 } as const;
    }
    const created = await createSecret(trx, { environmentId: input.toEnvironmentId, name: input.name, actor: input.actor, at: input.at });
    const set = await setSecretValue(trx, envelope, { environmentId: input.toEnvironmentId, name: input.name, value: source.value, metadataJson: source.metadataJson, expectedVersion: input.expectedVersion, actor: input.actor, at: input.at });
    switch (set.kind) {
      case "ok":
        return { kind: "ok", fromVersion: source.version, version: set.version, createdInTarget: created.kind === "ok" } as const;
      case "disabled":
        return { kind: "target_disabled" } as const;
      case "not_found":
        // createSecret just made or found the row in this transaction.
        throw new Error("promote: the target row vanished inside its transaction");
      case "invalid":
        // No check is passed: the value was checked when it was first stored in the source.
        throw new Error("promote: a value was refused without a check");
      default:
        // Only a row that existed can refuse (see above); never commit a new one beside a refusal.
        if (created.kind === "ok") throw new Error(`promote: the new target row was refused (${set.kind})`);
        return set;
    }
  });
}
