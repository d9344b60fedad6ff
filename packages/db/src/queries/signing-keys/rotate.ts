import { generateSigningKeyMaterial, type Envelope } from "@keyward/common";
import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { setSecretValue } from "../secrets/set-value.js";
import { inTransaction } from "../transaction.js";
import { getSigningKey } from "./get.js";

export type RotateSigningKeyResult = { kind: "ok"; version: number } | { kind: "not_found" } | { kind: "disabled" };

/**
 * A new version of fresh material becomes current: Sign uses it from now on, while signatures of
 * older versions keep verifying until retired (or until the version is pruned: secrets keep their
 * newest 10 versions).
 */
export async function rotateSigningKey(db: Kysely<Database>, envelope: Envelope, input: { environmentId: string; name: string; actor: string; at: Date }): Promise<RotateSigningKeyResult> {
  return inTransaction(db, async (trx) => {
    if (!(await getSigningKey(trx, input))) return { kind: "not_found" } as const;
    const set = await setSecretValue(trx, envelope, { ...input, value: generateSigningKeyMaterial(), as: "signing_key" });
    switch (set.kind) {
      case "ok":
        return { kind: "ok", version: set.version } as const;
      case "disabled":
      case "not_found":
        return { kind: set.kind } as const;
      default:
        throw new Error(`rotating a signing key failed: ${set.kind}`);
    }
  });
}
