/**
 * Non-secret facts derived from a value (a certificate's subject and expiry, a key's algorithm and
 * size, a DSN's host): never the value itself, a password or any private part.
 */
export type SecretMetadata = Record<string, string | number | boolean>;

/** What a validator says: accepted with its metadata, or refused with the rule it broke (never the value). */
export type ValidationResult = { ok: true; metadata: SecretMetadata } | { ok: false; problem: string };

/**
 * What a shape parser (`parseAwsAccessKey`, `parseSmtp`, …) says: the credential's fields, or the rule
 * the value broke. The problem names the rule and never holds the value or any part of it.
 */
export type ShapeResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** One secret type: its name (kebab case), a one-line description for forms and docs, and its validator. */
export interface SecretTypeDefinition {
  name: string;
  describe: string;
  validate(value: string): ValidationResult;
  /**
   * For a custom type: the metadata fields that repeat a part of the value which is not secret by
   * design (a URL's host, an app's client id), kept as they are (and not counted with the other
   * fields' pieces of the value). Any other metadata key or text that quotes the value is dropped, and
   * a problem that does is withheld (see the registry's `validate`).
   */
  publicValueParts?: readonly string[];
}

/**
 * Reads PEM blocks. The default one (browser-safe) checks the armour and the base64 body; the one in
 * `@keyward/secret-types/node` parses them with node:crypto and derives subject, expiry and key size.
 */
export interface PemInspector {
  certificate(pem: string): ValidationResult;
  privateKey(pem: string): ValidationResult;
}
