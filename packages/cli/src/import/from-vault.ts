import { UsageError } from "@keyward/common";
import { readVaultTree, type VaultAuth } from "@keyward/secrets/vault";
import type { ImportEntry } from "./entries.js";
import { checkProviderEntries, providerPathToName } from "./provider-entries.js";
import { providerFailure } from "./provider-failure.js";

/** A Vault path below the prefix as a secret name: billing/stripe-key → BILLING_STRIPE_KEY. */
export const vaultPathToName = providerPathToName;

/** The auth the usual VAULT_* variables describe: VAULT_TOKEN, else VAULT_ROLE_ID + VAULT_SECRET_ID (AppRole). */
function vaultAuth(env: NodeJS.ProcessEnv): VaultAuth {
  if (env.VAULT_TOKEN) return { method: "token", token: env.VAULT_TOKEN };
  if (env.VAULT_ROLE_ID && env.VAULT_SECRET_ID) return { method: "approle", roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID };
  throw new UsageError("set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole), to read from Vault");
}

/**
 * Every KV v2 entry below `prefix` as import entries (VAULT_ADDR, VAULT_NAMESPACE and the auth
 * variables), checked all or nothing: each name valid and given once, each entry holding `field`.
 * `line` is the entry's position in the listing.
 */
export async function readVaultImport(env: NodeJS.ProcessEnv, options: { prefix: string; mount: string | undefined; field: string }): Promise<ImportEntry[]> {
  if (!env.VAULT_ADDR) throw new UsageError("set VAULT_ADDR to Vault's address, e.g. https://vault.example.com:8200");
  let tree;
  try {
    tree = await readVaultTree(
      { address: env.VAULT_ADDR, auth: vaultAuth(env), ...(env.VAULT_NAMESPACE ? { namespace: env.VAULT_NAMESPACE } : {}), ...(options.mount !== undefined ? { mount: options.mount } : {}) },
      options.prefix,
      { signal: AbortSignal.timeout(60_000) },
    );
  } catch (error) {
    providerFailure("Vault", error);
  }
  return checkProviderEntries(
    `Vault ${options.prefix}`,
    tree.map((entry) => ({
      path: entry.path,
      name: vaultPathToName(entry.path),
      value: entry.fields[options.field],
      missing: `has no field "${options.field}" (fields: ${Object.keys(entry.fields).join(", ") || "none"}); pass --field`,
    })),
  );
}
