export { createInfisicalProvider } from "./provider.js";
export { validateInfisicalConfig, parseInfisicalPath, type InfisicalProviderConfig, infisicalDefaultNaming } from "./config.js";
export { readInfisicalSecrets, type InfisicalListedSecret } from "./list.js";
export { ProviderError, type SecretProvider, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type NamingRule } from "../types.js";
