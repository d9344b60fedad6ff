import { accept } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

// Kept as a type of its own (an issued bearer or refresh token), not an alias of oauth2-client,
// which holds the client id and secret that obtain such tokens.
export const oauthToken: SecretTypeDefinition = {
  name: "oauth-token",
  describe: "An OAuth access or refresh token: one token without whitespace",
  validate: (value) => tokenProblem(value) ?? accept(),
};
