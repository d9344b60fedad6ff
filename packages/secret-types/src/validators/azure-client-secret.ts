import { accept, refuse } from "../result.js";
import { parseAzureClientSecret } from "../shapes/azure-client-secret.js";
import { GUID } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

export const azureClientSecret: SecretTypeDefinition = {
  name: "azure-client-secret",
  describe: 'An Azure app registration\'s secret as JSON: {"tenantId", "clientId", "clientSecret"}',
  validate(value) {
    const parsed = parseAzureClientSecret(value);
    if (!parsed.ok) return parsed;
    const { tenantId, clientId, clientSecret } = parsed.value;
    if (!GUID.test(clientId)) return refuse("clientId must be a GUID");
    if (clientSecret.length < 16 || /\s/.test(clientSecret)) return refuse("clientSecret must be at least 16 characters without whitespace");
    return accept({ tenantId, clientId });
  },
};
