import { externalMasterKey, type ExternalMasterKeySettings, KeywardError, type MasterKeySource } from "@keyward/common";
import { loadSdk } from "./load-sdk.js";

type AzureSettings = Extract<ExternalMasterKeySettings, { kind: "azure-key-vault" }>;

const ALGORITHM = "RSA-OAEP-256";
const MAGIC = "azkv1 ";
const MICROSOFT_AUTHORITY = /^https:\/\/login\.(microsoftonline\.com|microsoftonline\.us|chinacloudapi\.cn)\/?$/;

/** The stored form: `azkv1 <versioned key id>\n` then the wrapped bytes, so a KEK unwraps with the key version that wrapped it, even after the key is rotated in the vault. */
function encode(kid: string, wrapped: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${MAGIC}${kid}\n`, "utf8"), wrapped]);
}

function decode(blob: Buffer): { kid: string; wrapped: Buffer } {
  const end = blob.indexOf(0x0a);
  const head = end > 0 ? blob.subarray(0, end).toString("utf8") : "";
  if (!head.startsWith(MAGIC)) throw new KeywardError("crypto", "the wrapped KEK is not in the Azure Key Vault format (was it wrapped by another source?)");
  return { kid: head.slice(MAGIC.length), wrapped: blob.subarray(end + 1) };
}

/** https://vault/keys/name[/version] without the version: the key's identity across its versions. */
const versionless = (keyId: string) => {
  const url = new URL(keyId);
  const [, keys, name] = url.pathname.split("/");
  return `${url.origin}/${keys}/${name}`;
};

/**
 * Azure Key Vault (or Managed HSM) keys through @azure/keyvault-keys and @azure/identity (optional,
 * loaded only here): wrapKey/unwrapKey with RSA-OAEP-256; the private key never leaves the vault.
 * Credentials: AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (with AZURE_AUTHORITY_HOST
 * for sovereign clouds or Azure Stack) from the given environment, else DefaultAzureCredential.
 */
export async function azureKeyVaultMasterKey(settings: AzureSettings, env: NodeJS.ProcessEnv): Promise<MasterKeySource> {
  const keys = await loadSdk("@azure/keyvault-keys", "azure-key-vault", () => import("@azure/keyvault-keys"));
  const identity = await loadSdk("@azure/identity", "azure-key-vault", () => import("@azure/identity"));
  const tenant = env.AZURE_TENANT_ID?.trim();
  const clientId = env.AZURE_CLIENT_ID?.trim();
  const secret = env.AZURE_CLIENT_SECRET?.trim();
  const authorityHost = env.AZURE_AUTHORITY_HOST?.trim() || undefined;
  const credential =
    tenant && clientId && secret
      ? new identity.ClientSecretCredential(tenant, clientId, secret, {
          ...(authorityHost ? { authorityHost, disableInstanceDiscovery: !MICROSOFT_AUTHORITY.test(authorityHost) } : {}),
        })
      : new identity.DefaultAzureCredential();
  const home = versionless(settings.keyId);
  const clients = new Map<string, InstanceType<typeof keys.CryptographyClient>>();
  const clientFor = (kid: string) => {
    let client = clients.get(kid);
    if (!client) {
      client = new keys.CryptographyClient(kid, credential, { retryOptions: { maxRetries: 1 } });
      clients.set(kid, client);
    }
    return client;
  };
  return externalMasterKey({
    kind: "azure-key-vault",
    identity: home,
    async encrypt(plaintext) {
      const out = await clientFor(settings.keyId).wrapKey(ALGORITHM, plaintext);
      if (!out.keyID || versionless(out.keyID) !== home) throw new KeywardError("config", `wrapKey answered for another key (${out.keyID ?? "none"})`);
      return encode(out.keyID, out.result);
    },
    async decrypt(ciphertext) {
      const { kid, wrapped } = decode(ciphertext);
      if (versionless(kid) !== home) throw new KeywardError("config", `the KEK was wrapped by ${kid}, not by ${home}`);
      const out = await clientFor(kid).unwrapKey(ALGORITHM, wrapped);
      return Buffer.from(out.result);
    },
  });
}
