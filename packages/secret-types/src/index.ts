export type { PemInspector, SecretMetadata, SecretTypeDefinition, ValidationResult } from "./types.js";
export { SECRET_TYPE_ALIASES, SECRET_TYPE_NAMES, type BuiltInSecretTypeName } from "./names.js";
export { createSecretTypeRegistry, type SecretTypeRegistry, type SecretTypeRegistryOptions } from "./registry.js";
export { builtInSecretTypes } from "./validators/index.js";
export { pemBlock, structuralPemInspector } from "./pem.js";
export { accept, refuse } from "./result.js";
export { DECLARED_RULE_KEYWORDS, parseDeclaredRules, pickDeclaredRules, type DeclaredRules } from "./declared-rules.js";
