import { BodyTooLargeError, externalMasterKey, type ExternalMasterKeySettings, KeywardError, type MasterKeySource, readCappedText, redirectOrigin } from "@keyward/common";

type VaultSettings = Extract<ExternalMasterKeySettings, { kind: "vault-transit" }>;
const TIMEOUT_MS = 10_000;
/** Vault's transit answers are a few hundred bytes; anything near this is not Vault. */
const MAX_ANSWER_BYTES = 64 * 1024;

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
        // Never followed: a redirect would carry the Vault token and the KEK to wherever it points.
        redirect: "manual",
      });
    let res: Response;
    try {
      // One retry: a kept-alive connection the server closed meanwhile fails once (ECONNRESET); encrypt and decrypt are safe to repeat.
      res = await send().catch(send);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new KeywardError("config", `Vault at ${settings.address} is unreachable (${cause?.code ?? cause?.message ?? (error as Error).name})`);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const origin = redirectOrigin(res, url);
      throw new KeywardError(
        "config",
        `Vault at ${settings.address} answered a redirect (HTTP ${res.status}${origin ? ` to ${origin}` : ""}), which Keyward does not follow with the Vault token: set KEYWARD_VAULT_ADDR to the address that answers itself (the active node, not a standby or a proxy that redirects)`,
      );
    }
    let text: string;
    try {
      text = await readCappedText(res, MAX_ANSWER_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new KeywardError("config", `Vault ${op} at ${settings.address} answered HTTP ${res.status} with more than ${MAX_ANSWER_BYTES} bytes: not a Vault transit answer`);
      throw new KeywardError("config", `Vault at ${settings.address} broke off its answer (${(error as Error).name})`);
    }
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
