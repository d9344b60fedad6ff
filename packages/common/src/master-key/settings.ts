import { KeywardError } from "../errors/index.js";
import { isExternalMasterKeySource, masterKeySource, type ExternalMasterKeySourceName } from "../keys.js";
import { shownValue } from "../shown-value.js";
import { insecureUrlProblem } from "../urls.js";

/** What an external master key needs, read from the environment (KEYWARD_* first, then the tool's own variable). */
export type ExternalMasterKeySettings =
  | { kind: "aws-kms"; keyId: string; region: string; endpoint?: string }
  | { kind: "azure-key-vault"; keyId: string }
  | { kind: "vault-transit"; address: string; token: string; namespace?: string; mount: string; key: string };

const get = (env: NodeJS.ProcessEnv, ...names: string[]) => {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
};

/** Azure key URL: https://<vault>.vault.azure.net/keys/<name>[/<version>] (any host, for sovereign clouds and managed HSM). */
const AZURE_KEY_URL = /^https:\/\/[^/\s]+\/keys\/[A-Za-z0-9-]{1,127}(\/[A-Za-z0-9]{1,64})?\/?$/;

/**
 * The settings of an external master key source, validated: every missing or wrong variable is
 * named, all in one error. Returns undefined for local sources. Token values are never echoed.
 */
export function externalMasterKeySettings(env: NodeJS.ProcessEnv, source = masterKeySource(env)): ExternalMasterKeySettings | undefined {
  if (!isExternalMasterKeySource(source)) return undefined;
  const problems: { field: string; text: string }[] = [];
  const need = (value: string | undefined, field: string, text: string) => {
    if (value === undefined) problems.push({ field, text: `${field} is missing: ${text}` });
    return value ?? "";
  };
  const url = (value: string | undefined, field: string) => {
    if (value === undefined) return;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      // insecureUrlProblem names it.
    }
    // Messages and logs name the address, so it must not carry a password (the token has its own variable); it is not echoed.
    if (parsed && (parsed.username || parsed.password)) return void problems.push({ field, text: `${field} must not contain a user or password; give credentials in their own variables` });
    const problem = insecureUrlProblem(value);
    if (problem) problems.push({ field, text: `${field} ${problem} (got ${shownValue(value)})` });
  };
  let settings: ExternalMasterKeySettings;
  switch (source as ExternalMasterKeySourceName) {
    case "aws-kms": {
      const keyId = need(get(env, "KEYWARD_AWS_KMS_KEY_ID"), "KEYWARD_AWS_KMS_KEY_ID", "the KMS key that wraps the KEKs: a key id, key ARN or alias ARN, e.g. arn:aws:kms:eu-west-1:111122223333:key/1234abcd-…");
      const region = need(get(env, "KEYWARD_AWS_KMS_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"), "KEYWARD_AWS_KMS_REGION", "the KMS key's region, e.g. eu-west-1 (or set AWS_REGION)");
      const endpoint = get(env, "KEYWARD_AWS_KMS_ENDPOINT");
      url(endpoint, "KEYWARD_AWS_KMS_ENDPOINT");
      settings = { kind: "aws-kms", keyId, region, ...(endpoint ? { endpoint } : {}) };
      break;
    }
    case "azure-key-vault": {
      const keyId = need(get(env, "KEYWARD_AZURE_KEY_ID"), "KEYWARD_AZURE_KEY_ID", "the RSA key that wraps the KEKs, e.g. https://my-vault.vault.azure.net/keys/keyward-master");
      if (keyId && !AZURE_KEY_URL.test(keyId)) problems.push({ field: "KEYWARD_AZURE_KEY_ID", text: `KEYWARD_AZURE_KEY_ID must be an https key URL like https://my-vault.vault.azure.net/keys/keyward-master[/version] (got ${shownValue(keyId)})` });
      settings = { kind: "azure-key-vault", keyId };
      break;
    }
    case "vault-transit": {
      const address = need(get(env, "KEYWARD_VAULT_ADDR", "VAULT_ADDR"), "KEYWARD_VAULT_ADDR", "the Vault server, e.g. https://vault.internal:8200 (or set VAULT_ADDR)");
      url(address || undefined, "KEYWARD_VAULT_ADDR");
      const token = need(get(env, "KEYWARD_VAULT_TOKEN", "VAULT_TOKEN"), "KEYWARD_VAULT_TOKEN", "a Vault token allowed to encrypt and decrypt with the transit key (or set VAULT_TOKEN)");
      const key = need(get(env, "KEYWARD_VAULT_TRANSIT_KEY"), "KEYWARD_VAULT_TRANSIT_KEY", "the name of the transit key that wraps the KEKs, e.g. keyward-master");
      const mount = get(env, "KEYWARD_VAULT_TRANSIT_MOUNT") ?? "transit";
      for (const [field, value] of [["KEYWARD_VAULT_TRANSIT_KEY", key], ["KEYWARD_VAULT_TRANSIT_MOUNT", mount]] as const) {
        if (value && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(value)) problems.push({ field, text: `${field} may hold letters, digits, _ . - and / only (got ${shownValue(value)})` });
      }
      const namespace = get(env, "KEYWARD_VAULT_NAMESPACE", "VAULT_NAMESPACE");
      settings = { kind: "vault-transit", address: address.replace(/\/+$/, ""), token, mount, key, ...(namespace ? { namespace } : {}) };
      break;
    }
  }
  if (problems.length > 0) {
    throw new KeywardError("config", `invalid configuration for KEYWARD_MASTER_KEY_SOURCE=${source}:\n  - ${problems.map((p) => p.text).join("\n  - ")}`, { field: problems[0]!.field });
  }
  return settings;
}
