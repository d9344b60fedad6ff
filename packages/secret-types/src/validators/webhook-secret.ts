import { accept } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

export const webhookSecret: SecretTypeDefinition = {
  name: "webhook-secret",
  describe: "A webhook signing secret (Stripe whsec_…, GitHub, Slack): at least 16 characters, no whitespace",
  validate: (value) => tokenProblem(value, 16) ?? accept(value.startsWith("whsec_") ? { provider: "stripe" } : {}),
};
