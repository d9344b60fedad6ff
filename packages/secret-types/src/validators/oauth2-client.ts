import { accept, refuse } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

export const oauth2Client: SecretTypeDefinition = {
  name: "oauth2-client",
  describe: 'OAuth 2 client credentials as JSON: {"clientId", "clientSecret"} (+ optional https "tokenUrl")',
  validate(value) {
    const json = jsonObject(value, '{"clientId", "clientSecret"}');
    if (!json.ok) return json;
    const clientId = field(json.value, "clientId", "client_id");
    const secret = field(json.value, "clientSecret", "client_secret");
    const tokenUrl = field(json.value, "tokenUrl", "token_url", "token_uri");
    if (!clientId) return refuse("clientId is missing");
    if (!secret) return refuse("clientSecret is missing");
    if (/\s/.test(secret)) return refuse("clientSecret must not contain whitespace");
    if (tokenUrl !== undefined && !/^https:\/\//.test(tokenUrl)) return refuse("tokenUrl must be an https URL");
    return accept({ clientId, ...(tokenUrl ? { tokenUrl } : {}) });
  },
};
