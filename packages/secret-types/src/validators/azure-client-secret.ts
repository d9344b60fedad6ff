import { accept, refuse } from "../result.js";
import { GUID, field, jsonObject } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

export const azureClientSecret: SecretTypeDefinition = {
  name: "azure-client-secret",
  describe: 'An Azure app registration\'s secret as JSON: {"tenantId", "clientId", "clientSecret"}',
  validate(value) {
    const json = jsonObject(value, '{"tenantId", "clientId", "clientSecret"}');
    if ("refusal" in json) return json.refusal;
    const tenantId = field(json.object, "tenantId", "tenant_id", "tenant");
    const clientId = field(json.object, "clientId", "client_id", "appId");
    const secret = field(json.object, "clientSecret", "client_secret", "password");
    if (!tenantId) return refuse("tenantId is missing");
    if (!GUID.test(tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantId)) return refuse("tenantId must be a GUID or a domain (contoso.onmicrosoft.com)");
    if (!clientId) return refuse("clientId is missing");
    if (!GUID.test(clientId)) return refuse("clientId must be a GUID");
    if (!secret) return refuse("clientSecret is missing");
    if (secret.length < 16 || /\s/.test(secret)) return refuse("clientSecret must be at least 16 characters without whitespace");
    return accept({ tenantId, clientId });
  },
};
