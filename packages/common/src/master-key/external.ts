import { createHash, randomBytes } from "node:crypto";
import { type Kek, kekFromKey } from "../crypto/envelope.js";
import { KeywardError } from "../errors/index.js";
import type { MasterKeyHealth, MasterKeyKind, MasterKeySource } from "./types.js";

/** The check value of an external key: a hash of its identity (e.g. the KMS key ARN), since its bytes are never seen. */
export function externalKeyFingerprint(kind: MasterKeyKind, identity: string): string {
  return "mk_" + createHash("sha256").update("keyward external master key\0").update(kind).update("\0").update(identity).digest("hex").slice(0, 16);
}

/** The operations an external key service offers; the rest (id checks, errors, health) is shared. */
export interface ExternalKeyOps {
  kind: MasterKeyKind;
  /** Canonical identity of the key (ARN, key URL, mount/key): the fingerprint is derived from it. */
  identity: string;
  /** Where the key service is, for messages only (e.g. the Vault address); not part of the fingerprint. */
  where?: string;
  /** Encrypts the 32 KEK bytes; `context` binds the result to the KEK id where the service supports it. */
  encrypt(plaintext: Buffer, context: Record<string, string>): Promise<Buffer>;
  decrypt(ciphertext: Buffer, context: Record<string, string>): Promise<Buffer>;
}

/** A message for an external failure: the error's name and message only (SDK errors carry no key material, and no request body is ever included). */
export function externalFailure(error: unknown): string {
  if (error instanceof KeywardError) return error.message;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const inner = cause instanceof Error && cause.message && !error.message.includes(cause.message) ? ` (${cause.message})` : "";
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return `${name}${error.message}${inner}`.slice(0, 500);
  }
  return "unknown error";
}

const kekContext = (kekId: string) => ({ keyward: "kek", kek_id: kekId });

export function externalMasterKey(ops: ExternalKeyOps): MasterKeySource {
  const fingerprint = externalKeyFingerprint(ops.kind, ops.identity);
  const describe = () => `${ops.kind} key ${ops.identity}${ops.where ? ` at ${ops.where}` : ""} (${fingerprint})`;
  const fail = (what: string, error: unknown) =>
    new KeywardError("config", `the master key (${describe()}) could not ${what}: ${externalFailure(error)}`, { reason: "master_key_unavailable", field: "KEYWARD_MASTER_KEY_SOURCE" });
  const unwrap = async (kekId: string, wrapped: Uint8Array): Promise<Kek> => {
    let key: Buffer;
    try {
      key = await ops.decrypt(Buffer.from(wrapped), kekContext(kekId));
    } catch (error) {
      throw fail(`unwrap KEK ${kekId}`, error);
    }
    if (key.length !== 32 || kekFromKey(key).id !== kekId) {
      key.fill(0);
      throw new KeywardError("crypto", `KEK ${kekId} unwrapped by ${describe()} to a key with another id`, { reason: "wrong_master_key" });
    }
    return { id: kekId, key };
  };
  return {
    kind: ops.kind,
    fingerprint,
    describe,
    async wrapKek(kek) {
      try {
        return await ops.encrypt(kek.key, kekContext(kek.id));
      } catch (error) {
        throw fail(`wrap KEK ${kek.id}`, error);
      }
    },
    unwrapKek: unwrap,
    async health(): Promise<MasterKeyHealth> {
      const probe = kekFromKey(randomBytes(32));
      try {
        const wrapped = await ops.encrypt(probe.key, kekContext(probe.id));
        await unwrap(probe.id, wrapped);
        return { status: "ok", summary: `${describe()} is reachable and wraps and unwraps a probe key` };
      } catch (error) {
        return { status: "unavailable", summary: error instanceof KeywardError ? error.message : `the master key (${describe()}) failed a probe: ${externalFailure(error)}` };
      } finally {
        probe.key.fill(0);
      }
    },
  };
}
