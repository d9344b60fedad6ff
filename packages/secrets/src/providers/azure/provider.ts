import { azureSecretClient } from "./credential.js";
import { ProviderError, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type SecretProvider } from "../types.js";
import { validateAzureConfig, type AzureProviderConfig } from "./config.js";
import { azureStatus, toProviderError } from "./errors.js";
import { azureDefaultNaming, parseAzurePath } from "./naming.js";

/**
 * A SecretProvider over Azure Key Vault. Key Vault has no batch read: a fetch runs up to
 * `concurrency` GETs at a time. The SDK's retries are off: the typed client retries.
 */
export function createAzureProvider(input: AzureProviderConfig): SecretProvider {
  const config = validateAzureConfig(input);
  const client = azureSecretClient(config);
  const concurrency = config.concurrency ?? 8;
  let closed = false;

  const getOne = async (ref: ProviderSecretRef, signal: AbortSignal): Promise<ProviderFetchResult> => {
    const path = parseAzurePath(ref.path)!;
    try {
      const secret = await client.getSecret(path.name, { abortSignal: signal, ...(path.version === undefined ? {} : { version: path.version }) });
      if (secret.value === undefined) return { kind: "missing" };
      return { kind: "ok", value: secret.value, ...(secret.properties.version === undefined ? {} : { version: secret.properties.version }) };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const status = azureStatus(error);
      if (status === 404) return { kind: "missing" };
      if (status === 403) return { kind: "denied", message: `Azure Key Vault refused secret ${path.name} (403 ${(error as { code?: string }).code ?? "Forbidden"})` };
      throw toProviderError(`GET secret ${path.name}`, error);
    }
  };

  return {
    kind: "azure",
    naming: input.naming ?? azureDefaultNaming,
    async fetch(refs: readonly ProviderSecretRef[], { signal }: { signal: AbortSignal }) {
      if (closed) throw new ProviderError("unavailable", "azure provider is closed");
      const bad = refs.filter((r) => parseAzurePath(r.path) === undefined);
      if (bad.length > 0) {
        throw new ProviderError(
          "invalid_config",
          `azure provider: Key Vault names allow only letters, digits and '-' (optionally "/<version>"): ${bad.map((r) => `${r.name} → "${r.path}"`).join(", ")}`,
        );
      }
      const results = new Map<string, ProviderFetchResult>();
      let next = 0;
      let failure: unknown;
      const worker = async () => {
        while (failure === undefined && next < refs.length) {
          const ref = refs[next++]!;
          try {
            results.set(ref.name, await getOne(ref, signal));
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker));
      if (failure !== undefined) throw failure;
      return results;
    },
    async health({ signal }: { signal: AbortSignal }): Promise<ProviderHealth> {
      if (closed) return { status: "unavailable", reason: "azure provider is closed" };
      try {
        if (config.healthSecretName !== undefined) {
          try {
            await client.getSecret(config.healthSecretName, { abortSignal: signal });
          } catch (error) {
            // The vault answered and knows us: a missing health secret does not make fetches fail.
            if (azureStatus(error) !== 404) throw error;
          }
        } else {
          const page = client.listPropertiesOfSecrets({ abortSignal: signal }).byPage({ maxPageSize: 1 });
          await page.next();
        }
        return { status: "healthy" };
      } catch (error) {
        if (signal.aborted) throw error;
        const e = toProviderError(config.healthSecretName === undefined ? "list secrets" : `GET secret ${config.healthSecretName}`, error);
        if (e.reason === "throttled") return { status: "degraded", reason: e.message };
        if (e.reason === "permission_denied") return { status: "degraded", reason: `${e.message}; set healthSecretName to a secret the identity can read` };
        return { status: "unavailable", reason: e.message };
      }
    },
    async close() {
      closed = true;
    },
  };
}
