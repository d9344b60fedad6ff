export { createAwsProvider, AWS_BATCH_SIZE } from "./provider.js";
export { validateAwsConfig, type AwsProviderConfig, awsDefaultNaming } from "./config.js";
export { awsJsonKey, parseAwsPath, type AwsSecretPath } from "./paths.js";
export { readAwsSecrets, type AwsListedSecret, type ReadAwsSecretsOptions } from "./list.js";
export { ProviderError, type SecretProvider, type ProviderFetchResult, type ProviderHealth, type ProviderSecretRef, type NamingRule } from "../types.js";
