export { createAwsProvider, AWS_BATCH_SIZE } from "./provider.js";
export { validateAwsConfig, type AwsProviderConfig } from "./config.js";
export { awsJsonKey, parseAwsPath, type AwsSecretPath } from "./paths.js";
export { ProviderError, type SecretProvider, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type NamingRule } from "../types.js";

/** Secrets Manager names allow letters, digits and /_+=.@-: the schema name as-is by default (use a template such as "prod/billing/{name}"). */
export const awsDefaultNaming = { case: "as-is" } as const;
