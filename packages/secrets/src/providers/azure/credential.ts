import type { TokenCredential } from "@azure/identity";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import { loadPeerSdk } from "../peer-sdk.js";
import type { AzureProviderConfig } from "./config.js";

/** Microsoft's public and sovereign clouds, whose authorities MSAL's instance discovery knows. */
const MICROSOFT_AUTHORITY = /^https:\/\/login\.(microsoftonline\.com|microsoftonline\.us|chinacloudapi\.cn)\/?$/;

/** The SDK's HTTP options for a validated config: its `http` settings with the SDK's retries off (callers retry). */
export const azureHttpOptions = (config: AzureProviderConfig): SecretClientOptions => ({ ...config.http, retryOptions: { maxRetries: 0 } });

/**
 * The credential a validated config names: `credential` as given, else the service principal's
 * client secret, else DefaultAzureCredential. A custom authority (Azure Stack, a sovereign or
 * private endpoint; `authorityHost` or AZURE_AUTHORITY_HOST, which EnvironmentCredential reads) is
 * trusted as given: MSAL's instance discovery would ask login.microsoftonline.com about it and fail
 * with endpoints_resolution_error. The SDK (an optional peer dependency) is loaded here.
 */
export function azureCredential(config: AzureProviderConfig): TokenCredential {
  if (config.credential !== undefined) return config.credential;
  const { ClientSecretCredential, DefaultAzureCredential } = loadPeerSdk<typeof import("@azure/identity")>("@azure/identity", "azure");
  const http = azureHttpOptions(config);
  if (config.clientSecret !== undefined) {
    const { tenantId, clientId, clientSecret, authorityHost } = config.clientSecret;
    return new ClientSecretCredential(tenantId, clientId, clientSecret, { ...http, ...(authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: true }) });
  }
  const authorityHost = process.env.AZURE_AUTHORITY_HOST?.trim();
  const custom = authorityHost !== undefined && authorityHost !== "" && !MICROSOFT_AUTHORITY.test(authorityHost);
  return new DefaultAzureCredential({ ...http, ...(custom ? { disableInstanceDiscovery: true } : {}) });
}

/** A Key Vault SecretClient for a validated config, with `credential` or the one the config names. */
export function azureSecretClient(config: AzureProviderConfig, credential?: TokenCredential): SecretClient {
  // Key Vault's SDK first: when both are missing, it is the one to name.
  const { SecretClient } = loadPeerSdk<typeof import("@azure/keyvault-secrets")>("@azure/keyvault-secrets", "azure");
  return new SecretClient(config.vaultUrl, credential ?? azureCredential(config), azureHttpOptions(config));
}
