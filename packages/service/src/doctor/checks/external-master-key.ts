import { externalFailure, isKeywardError, type MasterKeySource } from "@keyward/common";
import { openExternalMasterKey } from "../../master-key/open.js";
import type { DatabaseFacts, DoctorCheck } from "../types.js";

const FIX = "check KEYWARD_MASTER_KEY_SOURCE and its settings, the credentials this host uses for the key service, and that the key service is reachable from here";

/**
 * An external master key (aws-kms, azure-key-vault, vault-transit): opens it as start does, checks it
 * is the database's (by fingerprint), and that it wraps and unwraps a probe key. Names the source
 * and the error, never key material.
 */
export async function checkExternalMasterKey(env: NodeJS.ProcessEnv, facts: DatabaseFacts | undefined): Promise<DoctorCheck> {
  const name = "master key";
  let master: MasterKeySource;
  try {
    master = (await openExternalMasterKey(env))!;
  } catch (error) {
    // An SDK failing before any request (a broken credential chain) is reported like any other.
    return { name, status: "fail", summary: isKeywardError(error) ? error.message : `the master key (KEYWARD_MASTER_KEY_SOURCE) cannot be opened: ${externalFailure(error)}`, fix: FIX };
  }
  if (facts?.master?.kdf) {
    return { name, status: "fail", summary: `this database's master key (${facts.master.fingerprint}) comes from a passphrase, but ${master.describe()} is configured`, fix: `set KEYWARD_MASTER_PASSPHRASE instead, or move the database to it with: keyward-service keys change-master --to ${master.kind}` };
  }
  if (facts?.master && facts.master.fingerprint !== master.fingerprint) {
    return {
      name,
      status: "fail",
      summary: `${master.describe()} is not this database's master key (${facts.master.fingerprint}): its values cannot be decrypted with it`,
      fix: "configure the database's master key (after keys change-master, the new one)",
    };
  }
  const health = await master.health();
  if (health.status !== "ok") return { name, status: "fail", summary: health.summary, fix: FIX };
  let unwrapped = "";
  if (facts?.activeKek && facts.activeKek.wrappedBy === master.fingerprint) {
    try {
      const kek = await master.unwrapKek(facts.activeKek.id, facts.activeKek.wrapped);
      kek.key.fill(0);
      unwrapped = ` and unwraps the active KEK ${facts.activeKek.id}`;
    } catch (error) {
      return { name, status: "fail", summary: isKeywardError(error) ? error.message : `${master.describe()} cannot unwrap the active KEK: ${externalFailure(error)}`, fix: FIX };
    }
  }
  return { name, status: "ok", summary: `${health.summary}${facts?.master ? `; it is this database's master key${unwrapped}` : "; start sets up the keyring with it"}` };
}
