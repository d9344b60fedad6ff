import type { AwsProviderConfig } from "@keyward/secrets/aws";
import type { ImportEntry } from "./entries.js";
import { checkProviderEntries, providerPathToName, type ProviderItem } from "./provider-entries.js";
import { loadProviderModule, providerFailure } from "./provider-failure.js";

export interface AwsImportOptions {
  /** Only secrets whose name starts with this; it is cut from the names before mapping. */
  prefix: string;
  region: string | undefined;
  /** A secret holding a JSON object becomes one Keyward secret per key, NAME_KEY. */
  jsonKeys: boolean;
}

export const AWS_SDKS = ["@aws-sdk/client-secrets-manager"] as const;

/**
 * The AWS settings from the usual variables: AWS_REGION / AWS_DEFAULT_REGION (unless --region),
 * AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL, and AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
 * (+ AWS_SESSION_TOKEN) when set, else the SDK's default credential chain (profile, SSO, IMDS, …).
 */
export function awsImportConfig(env: NodeJS.ProcessEnv, region: string | undefined): AwsProviderConfig {
  const chosenRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return {
    ...(chosenRegion ? { region: chosenRegion } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
  };
}

/** A secret's value as import items: whole, or (jsonKeys, a JSON object) one per key; a nested value is named, never shown. */
function itemsOf(path: string, value: string, jsonKeys: boolean): ProviderItem[] {
  const name = providerPathToName(path);
  let parsed: unknown;
  if (jsonKeys) {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [{ path, name, value }];
  return Object.entries(parsed).map(([key, v]) => ({
    path: `${path}#${key}`,
    name: `${name}_${providerPathToName(key)}`,
    value: typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined,
    missing: "is not a string, number or boolean; import the secret whole (without --json-keys)",
  }));
}

/**
 * Every secret below `prefix` in AWS Secrets Manager as import entries: the name after the prefix
 * (leading / cut) mapped by providerPathToName (apps/billing/ + stripe-key → STRIPE_KEY), checked
 * all or nothing.
 */
export async function readAwsImport(env: NodeJS.ProcessEnv, options: AwsImportOptions, load = () => import("@keyward/secrets/aws")): Promise<ImportEntry[]> {
  const { readAwsSecrets } = await loadProviderModule("AWS", AWS_SDKS, load);
  let listed;
  try {
    listed = await readAwsSecrets(awsImportConfig(env, options.region), { ...(options.prefix ? { prefix: options.prefix } : {}), signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    providerFailure("AWS Secrets Manager", error);
  }
  const items = listed.flatMap((s) => itemsOf(s.name.slice(options.prefix.length).replace(/^\/+/, ""), s.value, options.jsonKeys));
  return checkProviderEntries(`AWS Secrets Manager ${options.prefix || "(all secrets)"}`, items);
}
