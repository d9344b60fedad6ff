import type { NamingRule } from "../types.js";
import { keyVaultNameRe } from "./config.js";

/**
 * Key Vault names allow only letters, digits and '-', so the default rule is kebab case:
 * STRIPE_API_KEY → stripe-api-key.
 */
export const azureDefaultNaming: NamingRule = { case: "kebab" };

/** A provider path is "name" or "name/version"; both parts checked against Key Vault's rules. */
export function parseAzurePath(path: string): { name: string; version?: string } | undefined {
  const [name, version, ...rest] = path.split("/");
  if (rest.length > 0 || name === undefined || !keyVaultNameRe.test(name)) return undefined;
  if (version === undefined) return { name };
  if (!/^[0-9A-Za-z]{1,64}$/.test(version)) return undefined;
  return { name, version };
}
