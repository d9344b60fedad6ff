/**
 * The built-in vocabulary, in the order of the proto's SecretType enum (the wire source; values are
 * appended there, never renumbered). This package cannot import @keyward/proto (it runs in the
 * browser, without grpc), so test/vocabulary.test.ts fails when this list, the proto enum and the
 * spec's SecretType.yaml disagree.
 */
export const SECRET_TYPE_NAMES = [
  "api-key", "llm-api-key", "database-url", "oauth-token", "password", "certificate", "generic",
  "aws-access-key", "gcp-service-account", "azure-client-secret", "pem-certificate", "pem-private-key", "ssh-private-key",
  "jwt-signing-key", "oauth2-client", "webhook-secret", "stripe-key", "github-token", "smtp",
] as const;

export type BuiltInSecretTypeName = (typeof SECRET_TYPE_NAMES)[number];

/** Old names that stay valid and mean another type: "certificate" was PEM all along. */
export const SECRET_TYPE_ALIASES: Readonly<Record<string, BuiltInSecretTypeName>> = { certificate: "pem-certificate" };
