import type { ProviderFetchResult, ProviderHealth, ProviderSecretRef, SecretProvider } from "../types.js";
import { ProviderError } from "../types.js";
import { createVaultSession } from "./auth.js";
import { resolveVaultConfig, type ResolvedVaultConfig, type VaultOptions } from "./config.js";
import { transientError, vaultErrors, vaultRequest } from "./http.js";

/** "apps/billing#api_key" → path "apps/billing", field "api_key"; without "#", the configured field. */
export function splitField(path: string, field: string): { path: string; field: string } {
  const hash = path.lastIndexOf("#");
  return hash > 0 && hash < path.length - 1 ? { path: path.slice(0, hash), field: path.slice(hash + 1) } : { path, field };
}

const encodePath = (path: string) => path.split("/").filter(Boolean).map(encodeURIComponent).join("/");

/** A KV field as text: strings as they are, anything else (numbers, maps) as JSON. */
const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

async function readOne(config: ResolvedVaultConfig, session: ReturnType<typeof createVaultSession>, ref: ProviderSecretRef, signal: AbortSignal): Promise<ProviderFetchResult> {
  const { path, field } = splitField(ref.path, config.field);
  const url = `${config.mount}/data/${encodePath(path)}`;
  for (let attempt = 0; ; attempt++) {
    const token = await session.token(signal);
    const res = await vaultRequest(config, "GET", url, { token, signal });
    const transient = transientError(res, `read ${path}`);
    if (transient) throw transient;
    if (res.status === 404) return { kind: "missing" };
    if (res.status === 403) {
      // A refused token (lease ended, revoked) is not a policy refusal: log in again and retry once.
      if (attempt === 0 && (await session.recover(token, signal))) continue;
      return { kind: "denied", message: `Vault denied reading ${config.mount}/${path} (403: ${vaultErrors(res)})` };
    }
    if (res.status !== 200) throw new ProviderError("internal", `Vault answered reading ${path} with ${res.status}: ${vaultErrors(res)}`);
    const data = (res.body?.data as { data?: Record<string, unknown> | null; metadata?: { version?: number } } | undefined) ?? {};
    // A deleted or destroyed version reads as data: null.
    if (!data.data || !Object.hasOwn(data.data, field) || data.data[field] === null) return { kind: "missing" };
    const version = data.metadata?.version;
    return version === undefined ? { kind: "ok", value: asText(data.data[field]) } : { kind: "ok", value: asText(data.data[field]), version: String(version) };
  }
}

/**
 * HashiCorp Vault KV v2 over its HTTP API (no SDK), for `createSecretsClient(schema, { provider: vault({...}) })`.
 * Each schema name maps to a KV path by `naming` (default: the name as is) and reads the entry's
 * `field` (default "value"). Token, AppRole and Kubernetes auth; tokens are renewed past two thirds
 * of their lease and a refused one logs in again. health() reads /v1/sys/health: sealed or
 * uninitialised is unavailable, a standby is degraded.
 */
export function vault(options: VaultOptions): SecretProvider {
  const config = resolveVaultConfig(options);
  const session = createVaultSession(config);
  return {
    kind: "vault",
    naming: config.naming,
    async fetch(refs, { signal }) {
      const results = new Map<string, ProviderFetchResult>();
      let next = 0;
      // A whole-call failure (throttled, sealed, down) rejects the call, so the client retries it.
      const worker = async () => {
        while (next < refs.length) {
          const ref = refs[next++]!;
          results.set(ref.name, await readOne(config, session, ref, signal));
        }
      };
      await Promise.all(Array.from({ length: Math.min(config.concurrency, refs.length) }, worker));
      return results;
    },
    async health({ signal }): Promise<ProviderHealth> {
      let res;
      try {
        res = await vaultRequest(config, "GET", "sys/health?standbyok=false&perfstandbyok=false", { signal });
      } catch (error) {
        return { status: "unavailable", reason: (error as Error).message };
      }
      if (res.status === 503 || res.body?.sealed === true) return { status: "unavailable", reason: "Vault is sealed" };
      if (res.status === 501) return { status: "unavailable", reason: "Vault is not initialized" };
      if (res.status === 429 || res.status === 473) return { status: "degraded", reason: "Vault answered from a standby node" };
      if (res.status === 472) return { status: "degraded", reason: "Vault is a disaster-recovery secondary" };
      if (res.status !== 200) return { status: "unavailable", reason: `Vault's health endpoint answered ${res.status}` };
      try {
        const token = await session.token(signal);
        const self = await vaultRequest(config, "GET", "auth/token/lookup-self", { token, signal });
        if (self.status === 200) return { status: "healthy" };
        const transient = transientError(self, "look up its token");
        if (transient) return { status: transient.reason === "throttled" ? "degraded" : "unavailable", reason: transient.message };
        return { status: "unavailable", reason: `Vault refused the ${config.auth.method} credentials (${self.status}: ${vaultErrors(self)})` };
      } catch (error) {
        return { status: "unavailable", reason: (error as Error).message };
      }
    },
    async close() {
      session.forget();
    },
  };
}
