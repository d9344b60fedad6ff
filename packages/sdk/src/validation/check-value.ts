import type { KeywardMessages } from "../i18n/en.js";

/** What is known about a secret's value, e.g. from the app's secrets.schema.json. */
export interface ValueSchema {
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
}

/** The first rule the value breaks, as a message; null when it passes (or is empty and optional). */
export function checkValue(value: string, schema: ValueSchema | undefined, t: KeywardMessages["secretForm"], required: boolean): string | null {
  if (value === "") return required ? t.required : null;
  if (!schema) return null;
  if (schema.enum && !schema.enum.includes(value)) return t.notInEnum(schema.enum);
  if (schema.minLength !== undefined && [...value].length < schema.minLength) return t.tooShort(schema.minLength);
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return t.tooLong(schema.maxLength);
  // JSON Schema patterns are unanchored ECMA-262 regexes, matched with the unicode flag.
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return t.patternMismatch(schema.pattern);
  return null;
}
