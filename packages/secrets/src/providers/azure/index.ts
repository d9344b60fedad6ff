export { createAzureProvider } from "./provider.js";
export { validateAzureConfig, keyVaultNameRe, type AzureProviderConfig } from "./config.js";
export { azureDefaultNaming, parseAzurePath } from "./naming.js";
export { readAzureSecrets, type AzureListedSecret, type ReadAzureSecretsOptions } from "./list.js";
export { ProviderError, type SecretProvider, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type NamingRule } from "../types.js";
