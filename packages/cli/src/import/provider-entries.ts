import { secretNameProblem } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";
import { MAX_SECRET_BYTES } from "../prompt/read-secret.js";
import type { ImportEntry } from "./entries.js";

/**
 * A provider path as a Keyward secret name: upper case, with the separators providers use
 * (/ - . + = @) as _. billing/stripe-key → BILLING_STRIPE_KEY (Vault, AWS), stripe-api-key →
 * STRIPE_API_KEY (Azure: the inverse of its kebab-case naming), db.url → DB_URL (Infisical).
 */
export const providerPathToName = (path: string) => path.replace(/[/\-.+=@]/g, "_").toUpperCase();

/** One secret read from a provider: where it is, the name it maps to, and its value (undefined: `missing` says why). */
export interface ProviderItem {
  path: string;
  name: string;
  value: string | undefined;
  missing?: string;
}

/**
 * Checks every item, all or nothing, and reports every problem at once: a valid name, given once
 * (two paths mapping to one name are named), a value within the size limit. `line` is the item's
 * position. Nothing is written when any problem is found.
 */
export function checkProviderEntries(source: string, items: ProviderItem[]): ImportEntry[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const entries = items.flatMap((item, i): ImportEntry[] => {
    const { path, name, value } = item;
    const problem = secretNameProblem(name);
    if (problem) problems.push(`${path}: ${JSON.stringify(name.slice(0, 140))} is not a valid secret name: ${problem}`);
    else if (seen.has(name)) problems.push(`${path}: maps to ${name}, as ${seen.get(name)} does; rename one`);
    else if (value === undefined) problems.push(`${path}: ${item.missing ?? "has no value"}`);
    else if (Buffer.byteLength(value) > MAX_SECRET_BYTES) problems.push(`${path}: the value of ${name} is longer than ${MAX_SECRET_BYTES} bytes`);
    if (!seen.has(name)) seen.set(name, path);
    return value === undefined ? [] : [{ name, value, line: i + 1 }];
  });
  if (problems.length > 0) throw new CliError(`cannot import from ${source}: nothing written:\n${problems.map((p) => `  ${p}`).join("\n")}`, EXIT.failed);
  return entries;
}
