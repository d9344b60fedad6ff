export { createInfisicalProvider } from "./provider.js";
export { validateInfisicalConfig, parseInfisicalPath, type InfisicalProviderConfig } from "./config.js";
export { ProviderError, type SecretProvider, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type NamingRule } from "../types.js";

/** Infisical keys are usually env-var style: the schema name as-is (STRIPE_API_KEY). */
export const infisicalDefaultNaming = { case: "as-is" } as const;
