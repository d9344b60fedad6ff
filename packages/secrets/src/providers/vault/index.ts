export { vault, splitField } from "./provider.js";
export type { VaultAuth, VaultOptions } from "./config.js";
export { ProviderError, type NamingRule, type ProviderHealth, type SecretProvider } from "../types.js";
export { readVaultTree, type VaultEntry } from "./list.js";
