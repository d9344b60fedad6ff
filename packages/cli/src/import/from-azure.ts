import fs from "node:fs";
import tls from "node:tls";
import { UsageError } from "@keyward/common";
import type { AzureProviderConfig } from "@keyward/secrets/azure";
import type { ImportEntry } from "./entries.js";
import { checkProviderEntries, providerPathToName } from "./provider-entries.js";
import { loadProviderModule, providerFailure } from "./provider-failure.js";

export const AZURE_SDKS = ["@azure/keyvault-secrets", "@azure/identity"] as const;

/**
 * The Azure settings from the usual variables: AZURE_TENANT_ID + AZURE_CLIENT_ID +
 * AZURE_CLIENT_SECRET (AZURE_AUTHORITY_HOST for another cloud) when set, else
 * DefaultAzureCredential. NODE_EXTRA_CA_CERTS is added to the trusted CAs (also when the CLI runs
 * in-process); KEYWARD_AZURE_DISABLE_CHALLENGE_VERIFICATION=true accepts a bearer challenge for
 * another resource (a private endpoint or an emulator on another host name).
 */
export function azureImportConfig(env: NodeJS.ProcessEnv, vaultUrl: string): AzureProviderConfig {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret, AZURE_AUTHORITY_HOST: authorityHost } = env;
  let ca: string[] | undefined;
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      ca = [...tls.rootCertificates, fs.readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8")];
    } catch (error) {
      throw new UsageError(`cannot read NODE_EXTRA_CA_CERTS ${env.NODE_EXTRA_CA_CERTS}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
  }
  const disableChallenge = env.KEYWARD_AZURE_DISABLE_CHALLENGE_VERIFICATION === "true" || env.KEYWARD_AZURE_DISABLE_CHALLENGE_VERIFICATION === "1";
  return {
    vaultUrl: vaultUrl.replace(/\/+$/, "/"),
    ...(tenantId && clientId && clientSecret ? { clientSecret: { tenantId, clientId, clientSecret, ...(authorityHost ? { authorityHost } : {}) } } : {}),
    ...(ca || disableChallenge ? { http: { ...(ca ? { tlsOptions: { ca } } : {}), ...(disableChallenge ? { disableChallengeResourceVerification: true } : {}) } } : {}),
  };
}

/** Every enabled secret of the vault as import entries: the kebab-case name back to UPPER_SNAKE (stripe-api-key → STRIPE_API_KEY). */
export async function readAzureImport(env: NodeJS.ProcessEnv, options: { vaultUrl: string }, load = () => import("@keyward/secrets/azure")): Promise<ImportEntry[]> {
  const { readAzureSecrets } = await loadProviderModule("Azure Key Vault", AZURE_SDKS, load);
  let listed;
  try {
    listed = await readAzureSecrets(azureImportConfig(env, options.vaultUrl), { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    providerFailure("Azure Key Vault", error);
  }
  return checkProviderEntries(
    `Azure Key Vault ${options.vaultUrl}`,
    listed.map((s) => ({ path: s.name, name: providerPathToName(s.name), value: s.value })),
  );
}
