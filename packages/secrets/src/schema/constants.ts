import { SECRET_TYPES, type SecretTypeName } from "@keyward/proto";

/** File names that keyward-secrets reads and writes, next to each package.json. */
export const SCHEMA_FILE_NAME = "secrets.schema.json";
export const COMBINED_FILE_NAME = "secrets.schema.combined.json";
export const TYPES_FILE_NAME = "secrets.ts";

/** An environment name, as the service defines it (a lower-case slug), e.g. "production". */
export const ENVIRONMENT_NAME_PATTERN = "^[a-z][a-z0-9-]{0,62}$";

export const JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema";

/**
 * Environment-variable style, so a secret can also be injected as an env var of the same name; at
 * most 128 characters. The service's own rule (secretNameProblem in @keyward/common, and the admin
 * API's CreateSecretRequest): a schema must not declare a name the service would refuse.
 */
export const SECRET_NAME_PATTERN = "^[A-Z][A-Z0-9_]{0,127}$";
export const SECRET_NAME_MAX_LENGTH = 128;

/** The longest description the service stores (the admin API's CreateSecretRequest), in characters (code points). */
export const DESCRIPTION_MAX_LENGTH = 1000;

/** The one vocabulary of secret types, from the proto's SecretType enum (the admin API uses it too). */
export const KEYWARD_SECRET_TYPES: readonly SecretTypeName[] = SECRET_TYPES;
export type KeywardSecretType = SecretTypeName;

export const DEFAULT_SECRET_TYPE: KeywardSecretType = "generic";
export const DEFAULT_ROTATION_DAYS = 90;
/** Reminders start this many days before a rotation is due, unless x-keyward.reminderDays says otherwise. */
export const DEFAULT_REMINDER_DAYS = 14;

/** The formats JSON Schema 2020-12 defines; anything else is most likely a typo. */
export const STRING_FORMATS = [
  "date-time",
  "date",
  "time",
  "duration",
  "email",
  "idn-email",
  "hostname",
  "idn-hostname",
  "ipv4",
  "ipv6",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
  "uri-template",
  "uuid",
  "json-pointer",
  "relative-json-pointer",
  "regex",
] as const;
