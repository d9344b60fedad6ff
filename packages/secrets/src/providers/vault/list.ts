import { ProviderError } from "../types.js";
import { createVaultSession } from "./auth.js";
import { resolveVaultConfig, type VaultOptions } from "./config.js";
import { transientError, vaultErrors, vaultRequest } from "./http.js";

/** One KV v2 entry found under a prefix: its path (relative to the prefix) and its fields as text. */
export interface VaultEntry {
  path: string;
  fields: Record<string, string>;
}

const encodePath = (path: string) => path.split("/").filter(Boolean).map(encodeURIComponent).join("/");

/**
 * Every KV v2 entry below `prefix` (recursively, in listing order) with its current fields, for
 * `keyward import --from vault`. Deleted entries are left out. Fails with a ProviderError (never
 * holding a value or the token) when Vault refuses or cannot be reached.
 */
export async function readVaultTree(options: VaultOptions, prefix: string, { signal }: { signal: AbortSignal }): Promise<VaultEntry[]> {
  const config = resolveVaultConfig(options);
  const session = createVaultSession(config);
  const root = prefix.replace(/^\/+|\/+$/g, "");
  const call = async (path: string, what: string) => {
    const res = await vaultRequest(config, "GET", path, { token: await session.token(signal), signal });
    const transient = transientError(res, what);
    if (transient) throw transient;
    if (res.status === 403) throw new ProviderError("permission_denied", `Vault denied to ${what} (403: ${vaultErrors(res)})`);
    return res;
  };
  const entries: VaultEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const res = await call(`${config.mount}/metadata/${encodePath(dir)}${dir === "" ? "" : "/"}?list=true`, `list ${config.mount}/${dir}`);
    if (res.status === 404) return;
    const keys = (res.body?.data as { keys?: unknown } | undefined)?.keys;
    if (res.status !== 200 || !Array.isArray(keys)) throw new ProviderError("internal", `Vault answered listing ${config.mount}/${dir} with ${res.status}: ${vaultErrors(res)}`);
    for (const key of keys) {
      if (typeof key !== "string") continue;
      const full = dir === "" ? key : `${dir}/${key}`;
      if (key.endsWith("/")) {
        await walk(full.slice(0, -1));
        continue;
      }
      const read = await call(`${config.mount}/data/${encodePath(full)}`, `read ${config.mount}/${full}`);
      const data = (read.body?.data as { data?: Record<string, unknown> | null } | undefined)?.data;
      if (read.status === 404 || !data) continue;
      if (read.status !== 200) throw new ProviderError("internal", `Vault answered reading ${config.mount}/${full} with ${read.status}: ${vaultErrors(read)}`);
      const fields = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
      entries.push({ path: root === "" ? full : full.slice(root.length + 1), fields });
    }
  };
  await walk(root);
  return entries;
}
