import { secretNameProblem, UsageError } from "@keyward/common";
import { ProviderError, SecretsConfigError } from "@keyward/secrets";
import { readVaultTree, type VaultAuth } from "@keyward/secrets/vault";
import { CliError, EXIT } from "../exit-codes.js";
import { MAX_SECRET_BYTES } from "../prompt/read-secret.js";
import type { ImportEntry } from "./entries.js";

/** A Vault path below the prefix as a secret name: billing/stripe-key → BILLING_STRIPE_KEY. */
export const vaultPathToName = (path: string) => path.replace(/[/\-.]/g, "_").toUpperCase();

/** The auth the usual VAULT_* variables describe: VAULT_TOKEN, else VAULT_ROLE_ID + VAULT_SECRET_ID (AppRole). */
function vaultAuth(env: NodeJS.ProcessEnv): VaultAuth {
  if (env.VAULT_TOKEN) return { method: "token", token: env.VAULT_TOKEN };
  if (env.VAULT_ROLE_ID && env.VAULT_SECRET_ID) return { method: "approle", roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID };
  throw new UsageError("set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole), to read from Vault");
}

function failure(error: unknown): never {
  if (error instanceof SecretsConfigError) throw new UsageError(error.message);
  if (error instanceof Error && error.name === "ProviderError") {
    const { reason, message } = error as ProviderError;
    const code = reason === "unavailable" || reason === "throttled" ? EXIT.unreachable : reason === "unauthenticated" || reason === "permission_denied" ? EXIT.auth : EXIT.failed;
    throw new CliError(`cannot read from Vault: ${message}`, code);
  }
  throw error;
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
    failure(error);
  }
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const entries = tree.flatMap((entry, i): ImportEntry[] => {
    const name = vaultPathToName(entry.path);
    const value = entry.fields[options.field];
    const problem = secretNameProblem(name);
    if (problem) problems.push(`${entry.path}: ${JSON.stringify(name.slice(0, 140))} is not a valid secret name: ${problem}`);
    else if (seen.has(name)) problems.push(`${entry.path}: maps to ${name}, as ${seen.get(name)} does; rename one`);
    else if (value === undefined) problems.push(`${entry.path}: has no field "${options.field}" (fields: ${Object.keys(entry.fields).join(", ") || "none"}); pass --field`);
    else if (Buffer.byteLength(value) > MAX_SECRET_BYTES) problems.push(`${entry.path}: the value of ${name} is longer than ${MAX_SECRET_BYTES} bytes`);
    seen.set(name, entry.path);
    return value === undefined ? [] : [{ name, value, line: i + 1 }];
  });
  if (problems.length > 0) throw new CliError(`cannot import from Vault ${options.prefix}: nothing written:\n${problems.map((p) => `  ${p}`).join("\n")}`, EXIT.failed);
  return entries;
}
