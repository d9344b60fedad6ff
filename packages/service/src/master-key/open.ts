import { externalMasterKeySettings, type MasterKeySource } from "@keyward/common";
import { awsKmsMasterKey } from "./aws-kms.js";
import { azureKeyVaultMasterKey } from "./azure-key-vault.js";
import { vaultTransitMasterKey } from "./vault-transit.js";

/**
 * Opens the external master key the environment configures (KEYWARD_MASTER_KEY_SOURCE=aws-kms,
 * azure-key-vault or vault-transit), or returns undefined for a local source (file, env, passphrase).
 * Settings are validated first; every bad field is named.
 */
export async function openExternalMasterKey(env: NodeJS.ProcessEnv, source?: Parameters<typeof externalMasterKeySettings>[1]): Promise<MasterKeySource | undefined> {
  const settings = externalMasterKeySettings(env, source);
  if (!settings) return undefined;
  switch (settings.kind) {
    case "aws-kms":
      return awsKmsMasterKey(settings, env);
    case "azure-key-vault":
      return azureKeyVaultMasterKey(settings, env);
    case "vault-transit":
      return vaultTransitMasterKey(settings);
    default:
      return settings satisfies never;
  }
}
