import { accept, refuse } from "../result.js";
import type { SecretTypeDefinition } from "../types.js";

export const generic: SecretTypeDefinition = {
  name: "generic",
  describe: "Any non-empty text",
  validate: (value) => (value.length === 0 ? refuse("must not be empty") : accept()),
};
