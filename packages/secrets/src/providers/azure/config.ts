import { namingProblems } from "../naming.js";
import type { TokenCredential } from "@azure/identity";
import type { SecretClientOptions } from "@azure/keyvault-secrets";
import { ProviderError, type NamingRule } from "../types.js";

/** Settings of the Azure Key Vault provider. */
export interface AzureProviderConfig {
  /** Schema name to provider path (see the README); default case "kebab". */
  naming?: NamingRule;
  /** The vault, e.g. "https://my-vault.vault.azure.net" (https is required by Key Vault's auth). */
  vaultUrl: string;
  /** A service principal's client secret; without it (and without `credential`) DefaultAzureCredential. */
  clientSecret?: { tenantId: string; clientId: string; clientSecret: string; authorityHost?: string };
  /** Any @azure/identity credential (managed identity, workload identity, …); overrides `clientSecret`. */
  credential?: TokenCredential;
  /** A secret name that health() reads instead of listing one secret (for a policy without secrets/list). */
  healthSecretName?: string;
  /** Parallel GETs per fetch (Key Vault has no batch read); default 8. */
  concurrency?: number;
  /** HTTP settings passed to the SDK and the credential: a private CA, a proxy, challenge resource verification. */
  http?: Pick<SecretClientOptions, "tlsOptions" | "proxyOptions" | "disableChallengeResourceVerification">;
}

/** Key Vault secret names: 1–127 letters, digits and '-'. */
export const keyVaultNameRe = /^[0-9A-Za-z-]{1,127}$/;
const guidOrDomain = /^[0-9A-Za-z.-]{1,253}$/;

/** Checks the whole config and throws one invalid_config ProviderError naming every wrong field. */
export function validateAzureConfig(config: unknown): AzureProviderConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ProviderError("invalid_config", "azure provider: the config must be an object");
  }
  const c = config as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(["vaultUrl", "clientSecret", "credential", "healthSecretName", "concurrency", "http", "naming"]);
  for (const key of Object.keys(c)) if (!known.has(key)) problems.push(`${key}: unknown field (expected one of ${[...known].join(", ")})`);
  const httpsUrl = (v: unknown) => {
    if (typeof v !== "string") return false;
    try {
      const u = new URL(v);
      return u.protocol === "https:" && u.pathname === "/" && u.search === "";
    } catch {
      return false;
    }
  };
  if (c.vaultUrl === undefined) problems.push(`vaultUrl: required, e.g. "https://my-vault.vault.azure.net"`);
  else if (!httpsUrl(c.vaultUrl)) problems.push(`vaultUrl: expected an https URL without a path, e.g. "https://my-vault.vault.azure.net"`);
  if (c.clientSecret !== undefined) {
    const cs = c.clientSecret as Record<string, unknown> | null;
    if (cs === null || typeof cs !== "object") problems.push("clientSecret: expected { tenantId, clientId, clientSecret, authorityHost? }");
    else {
      if (typeof cs.tenantId !== "string" || !guidOrDomain.test(cs.tenantId)) problems.push("clientSecret.tenantId: expected a tenant id (GUID) or domain");
      if (typeof cs.clientId !== "string" || cs.clientId === "") problems.push("clientSecret.clientId: expected the application (client) id");
      if (typeof cs.clientSecret !== "string" || cs.clientSecret === "") problems.push("clientSecret.clientSecret: expected a non-empty string");
      if (cs.authorityHost !== undefined && !(typeof cs.authorityHost === "string" && httpsUrl(cs.authorityHost.replace(/\/?$/, "/")))) {
        problems.push("clientSecret.authorityHost: expected an https URL such as https://login.microsoftonline.com");
      }
    }
  }
  if (c.credential !== undefined && (c.credential === null || typeof (c.credential as { getToken?: unknown }).getToken !== "function")) {
    problems.push("credential: expected a TokenCredential (an object with getToken)");
  }
  if (c.healthSecretName !== undefined && (typeof c.healthSecretName !== "string" || !keyVaultNameRe.test(c.healthSecretName))) {
    problems.push("healthSecretName: expected a Key Vault secret name (letters, digits and '-')");
  }
  if (c.concurrency !== undefined && !(Number.isInteger(c.concurrency) && (c.concurrency as number) >= 1 && (c.concurrency as number) <= 64)) {
    problems.push("concurrency: expected an integer from 1 to 64");
  }
  if (c.http !== undefined && (c.http === null || typeof c.http !== "object")) problems.push("http: expected an object");
  problems.push(...namingProblems(c.naming, "naming"));
  if (problems.length > 0) throw new ProviderError("invalid_config", `azure provider config is invalid:\n  - ${problems.join("\n  - ")}`);
  return c as unknown as AzureProviderConfig;
}
