export { ProviderError, type NamingRule, type ProviderErrorReason, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type SecretProvider, type SecretProviderNaming } from "./types.js";
export { applyCase, namingFunction, namingProblems, type NamingCase } from "./naming.js";
