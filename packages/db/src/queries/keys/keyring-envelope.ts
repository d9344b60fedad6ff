import type { Kysely } from "kysely";
import { asMasterKeySource, createEnvelope, type Envelope, type MasterKeySource } from "@keyward/common";
import type { Database } from "../../schema.js";
import { openKeyring, type KeyringChange } from "./open-keyring.js";

/**
 * An envelope over the database keyring. `reload()` re-reads the KEKs, so a service that sees a
 * data key wrapped by a KEK it does not know (another process rotated and rewrapped) catches up.
 */
export async function createKeyringEnvelope(db: Kysely<Database>, masterKey: Buffer | MasterKeySource, change: KeyringChange): Promise<Envelope & { reload(via?: unknown): Promise<void> }> {
  const master = asMasterKeySource(masterKey);
  let inner = createEnvelope(await openKeyring(db, master, change));
  return {
    get activeKeyId() {
      return inner.activeKeyId;
    },
    seal: (plaintext, secretId, version, name) => inner.seal(plaintext, secretId, version, name),
    open: (sealed, secretId, version, name) => inner.open(sealed, secretId, version, name),
    hasKey: (keyId) => inner.hasKey(keyId),
    rewrap: (wrapped, secretId, version) => inner.rewrap(wrapped, secretId, version),
    async reload(via?: unknown) {
      inner = createEnvelope(await openKeyring((via as Kysely<Database> | undefined) ?? db, master, change));
    },
  };
}
