import type { Envelope, SigningAlgorithm } from "@keyward/common";
import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { readSecretValue } from "../secrets/read-value.js";
import { getSigningKey } from "./get.js";

export type ReadSigningKeyResult =
  | { kind: "ok"; algorithm: SigningAlgorithm; material: string; version: number }
  /** The name is no signing key in this environment (a secret, or nothing). */
  | { kind: "not_signing_key" }
  | { kind: "disabled"; algorithm: SigningAlgorithm }
  /** That version was retired by an admin, or is no longer kept. */
  | { kind: "retired"; algorithm: SigningAlgorithm }
  | { kind: "integrity"; problem: string; algorithm: SigningAlgorithm };

/**
 * The key material of one version of a signing key (the current one when `version` is absent), for
 * Sign and Verify only: it never leaves the process. Opened with the same checks as a secret value.
 */
export async function readSigningKeyMaterial(db: Kysely<Database>, envelope: Envelope, input: { environmentId: string; name: string; version?: number }): Promise<ReadSigningKeyResult> {
  const key = await getSigningKey(db, input);
  if (!key) return { kind: "not_signing_key" };
  const { algorithm } = key;
  if (key.status === "disabled") return { kind: "disabled", algorithm };
  if (input.version !== undefined && (input.version < key.min_version || input.version > key.current_version)) return { kind: "retired", algorithm };
  const read = await readSecretValue(db, envelope, { ...input, as: "signing_key" });
  switch (read.kind) {
    case "ok":
      return { kind: "ok", algorithm, material: read.value, version: read.version };
    case "disabled":
      return { kind: "disabled", algorithm };
    case "integrity":
      return { kind: "integrity", problem: read.problem, algorithm };
    default:
      // Pruned (or never written): nothing left to verify with.
      return { kind: "retired", algorithm };
  }
}
