export { ProviderError, type NamingRule, type ProviderErrorReason, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type SecretProvider } from "./types.js";
