import type { KeywardSecretType } from "./constants.js";

/** `x-keyward` as written by hand; every key is optional. */
export interface KeywardExtension {
  type?: KeywardSecretType;
  rotationDays?: number;
  /** Days before the rotation is due that reminders start (default 14). */
  reminderDays?: number;
  optional?: boolean;
}

/** One secret in a hand-written secrets.schema.json. */
export interface SecretDefinition {
  type?: "string";
  description: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  enum?: string[];
  "x-keyward"?: KeywardExtension;
}

/** A validated secrets.schema.json. */
export interface SecretsSchemaFile {
  $schema?: string;
  $id?: string;
  $comment?: string;
  title?: string;
  description?: string;
  type?: "object";
  properties: Record<string, SecretDefinition>;
  additionalProperties?: false;
}

/** `x-keyward` after combine: defaults filled in, plus the declaring package. */
export interface CombinedKeywardExtension {
  optional: boolean;
  reminderDays: number;
  rotationDays: number;
  /** Name of the package whose secrets.schema.json declares the secret. */
  source: string;
  type: KeywardSecretType;
}

export interface CombinedSecret {
  description: string;
  enum?: string[];
  format?: string;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  type: "string";
  "x-keyward": CombinedKeywardExtension;
}

/** The content of secrets.schema.combined.json (keys in sorted order). */
export interface CombinedSchema {
  $schema: string;
  additionalProperties: false;
  properties: Record<string, CombinedSecret>;
  required: string[];
  type: "object";
}
