import { DESCRIPTION_MAX_LENGTH, KEYWARD_SECRET_TYPES, SECRET_NAME_PATTERN, STRING_FORMATS } from "./constants.js";

const strings = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, { type: "string" }]));

/**
 * The JSON Schema every hand-written secrets.schema.json must satisfy (checked with ajv).
 * Closed at every level: an unknown keyword is far more often a typo than an intent.
 * Checks that JSON Schema cannot express (regex syntax, minLength <= maxLength) live in validate.ts.
 * Names and descriptions follow the service's limits, so nothing declared here is refused there.
 */
export const secretsMetaSchema = {
  $id: "https://keyward.dev/schemas/secrets.schema.json",
  type: "object",
  required: ["properties"],
  additionalProperties: false,
  properties: {
    ...strings(["$schema", "$id", "$comment", "title", "description"]),
    type: { const: "object" },
    additionalProperties: { const: false },
    properties: {
      type: "object",
      propertyNames: { pattern: SECRET_NAME_PATTERN },
      additionalProperties: { $ref: "#/$defs/secret" },
    },
  },
  $defs: {
    secret: {
      type: "object",
      required: ["description"],
      additionalProperties: false,
      properties: {
        type: { const: "string" },
        // Control characters (which the service refuses too) are checked in validate.ts, with a clearer message.
        description: { type: "string", pattern: "\\S", maxLength: DESCRIPTION_MAX_LENGTH },
        pattern: { type: "string" },
        minLength: { type: "integer", minimum: 0 },
        maxLength: { type: "integer", minimum: 0 },
        format: { enum: [...STRING_FORMATS] },
        enum: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string" } },
        "x-keyward": {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { enum: [...KEYWARD_SECRET_TYPES] },
            rotationDays: { type: "integer", minimum: 1, maximum: 3650 },
            reminderDays: { type: "integer", minimum: 1, maximum: 365 },
            optional: { type: "boolean" },
          },
        },
      },
    },
  },
} as const;
