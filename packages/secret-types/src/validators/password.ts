import { accept, refuse } from "../result.js";
import type { SecretTypeDefinition } from "../types.js";

export const password: SecretTypeDefinition = {
  name: "password",
  describe: "A password: non-empty, on one line",
  validate(value) {
    if (value.length === 0) return refuse("must not be empty");
    if (/[\r\n]/.test(value)) return refuse("must be on one line");
    return accept();
  },
};
