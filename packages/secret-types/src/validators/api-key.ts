import { accept } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

export const apiKey: SecretTypeDefinition = {
  name: "api-key",
  describe: "An API key: one token without whitespace",
  validate: (value) => tokenProblem(value) ?? accept(),
};
