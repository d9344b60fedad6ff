import { externalMasterKey, type ExternalMasterKeySettings, KeywardError, type MasterKeySource } from "@keyward/common";

type VaultSettings = Extract<ExternalMasterKeySettings, { kind: "vault-transit" }>;
const TIMEOUT_MS = 10_000;

/**
 * HashiCorp Vault Transit over its HTTP API: POST <mount>/encrypt/<key> and <mount>/decrypt/<key>.
 * The ciphertext (vault:vN:…) is stored as the wrapped KEK; Vault keeps the key and its versions.
 */
export function vaultTransitMasterKey(settings: VaultSettings, fetchImpl: typeof fetch = fetch): MasterKeySource {
  const call = async (op: "encrypt" | "decrypt", body: Record<string, string>): Promise<Record<string, unknown>> => {
    const url = `${settings.address}/v1/${settings.mount}/${op}/${settings.key}`;
    const send = () =>
      fetchImpl(url, {
        method: "POST",
        headers: { "x-vault-token": settings.token, "content-type": "application/json", ...(settings.namespace ? { "x-vault-namespace": settings.namespace } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    let res: Response;
    try {
      // One retry: a kept-alive connection the server closed meanwhile fails once (ECONNRESET); encrypt and decrypt are safe to repeat.
      res = await send().catch(send);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new KeywardError("config", `Vault at ${settings.address} is unreachable (${cause?.code ?? cause?.message ?? (error as Error).name})`);
    }
    const text = await res.text();
    let json: { data?: Record<string, unknown>; errors?: unknown[] } = {};
    try {
      json = text ? (JSON.parse(text) as typeof json) : {};
    } catch {
      // A proxy's HTML page: reported by status below.
    }
    if (!res.ok) {
      // Vault's errors are short sentences ("permission denied", "encryption key not found"); they never echo the request.
      const errors = Array.isArray(json.errors) ? json.errors.filter((e): e is string => typeof e === "string").join("; ").slice(0, 300) : "";
      const hint = res.status === 403 ? " (check KEYWARD_VAULT_TOKEN and its policy)" : res.status === 404 || res.status === 400 ? " (check KEYWARD_VAULT_TRANSIT_MOUNT and KEYWARD_VAULT_TRANSIT_KEY)" : "";
      throw new KeywardError("config", `Vault ${op} with ${settings.mount}/${settings.key} answered HTTP ${res.status}${errors ? `: ${errors}` : ""}${hint}`);
    }
    if (!json.data) throw new KeywardError("config", `Vault ${op} answered HTTP ${res.status} without data`);
    return json.data;
  };
  return externalMasterKey({
    kind: "vault-transit",
    identity: `${settings.namespace ? `${settings.namespace}/` : ""}${settings.mount}/${settings.key}`,
    where: settings.address,
    async encrypt(plaintext) {
      const data = await call("encrypt", { plaintext: plaintext.toString("base64") });
      if (typeof data.ciphertext !== "string" || !data.ciphertext.startsWith("vault:")) throw new KeywardError("config", "Vault encrypt answered without a vault: ciphertext");
      return Buffer.from(data.ciphertext, "utf8");
    },
    async decrypt(ciphertext) {
      const data = await call("decrypt", { ciphertext: ciphertext.toString("utf8") });
      if (typeof data.plaintext !== "string") throw new KeywardError("config", "Vault decrypt answered without a plaintext");
      return Buffer.from(data.plaintext, "base64");
    },
  });
}
