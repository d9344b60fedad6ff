import { readListed } from "../read-listed.js";
import { ProviderError } from "../types.js";
import { validateAzureConfig, type AzureProviderConfig } from "./config.js";
import { azureCredential, azureSecretClient } from "./credential.js";
import { toProviderError } from "./errors.js";
import { createAzureProvider } from "./provider.js";

/** One secret found by readAzureSecrets: its Key Vault name (letters, digits, '-') and its current value. */
export interface AzureListedSecret {
  name: string;
  value: string;
}

export interface ReadAzureSecretsOptions {
  signal: AbortSignal;
  /** Secrets per list page (Key Vault's maxresults, 1–25; default 25). */
  pageSize?: number;
}

/**
 * Every enabled secret of the vault (its current version), in listing order, for `keyward import
 * --from azure`: listPropertiesOfSecrets page by page (nextLink), leaving out disabled secrets and
 * the ones Key Vault manages for certificates, then each value through the provider (parallel
 * GETs). A secret deleted meanwhile is left out; one the identity may not read fails the whole
 * read (a ProviderError permission_denied naming it, never a value or a credential).
 */
export async function readAzureSecrets(input: AzureProviderConfig, options: ReadAzureSecretsOptions): Promise<AzureListedSecret[]> {
  const config = validateAzureConfig(input);
  const { signal } = options;
  const pageSize = options.pageSize ?? 25;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 25) throw new ProviderError("invalid_config", "azure provider: pageSize must be an integer from 1 to 25");
  const credential = azureCredential(config);
  const client = azureSecretClient(config, credential);
  const provider = createAzureProvider({ ...config, credential, naming: { case: "as-is" } });
  try {
    const names: string[] = [];
    try {
      for await (const page of client.listPropertiesOfSecrets({ abortSignal: signal }).byPage({ maxPageSize: pageSize })) {
        for (const p of page) if (p.enabled !== false && p.managed !== true) names.push(p.name);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toProviderError("list secrets", error);
    }
    return await readListed(provider, names, signal);
  } finally {
    await provider.close();
  }
}
