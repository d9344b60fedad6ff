export type { PemInspector, SecretMetadata, SecretTypeDefinition, ValidationResult } from "./types.js";
export { SECRET_TYPE_ALIASES, SECRET_TYPE_NAMES, type BuiltInSecretTypeName } from "./names.js";
export { createSecretTypeRegistry, type SecretTypeRegistry, type SecretTypeRegistryOptions } from "./registry.js";
export { builtInSecretTypes } from "./validators/index.js";
export { pemBlock, structuralPemInspector } from "./pem.js";
export { accept, refuse } from "./result.js";
export { DECLARED_RULE_KEYWORDS, parseDeclaredRules, pickDeclaredRules, type DeclaredRules } from "./declared-rules.js";
export type { ShapeResult } from "./types.js";
// One parser per credential shape: the validators and @keyward/credential-tests' connection tests read values with these.
export { parseAwsAccessKey, type AwsAccessKey } from "./shapes/aws-access-key.js";
export { parseAzureClientSecret, type AzureClientSecret } from "./shapes/azure-client-secret.js";
export { parseGcpServiceAccount, type GcpServiceAccount } from "./shapes/gcp-service-account.js";
export { parseSmtp, type SmtpLogin } from "./shapes/smtp.js";
export { DATABASE_URL_SCHEMES, databaseUrlScheme, parseDatabaseUrl, type DatabaseUrl } from "./shapes/database-url.js";
