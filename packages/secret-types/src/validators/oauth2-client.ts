import { accept, refuse } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";
import { hasAmbiguousUserinfo } from "../shapes/url-authority.js";

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
    let endpoint: string | undefined;
    if (tokenUrl !== undefined) {
      let url: URL;
      try {
        url = new URL(tokenUrl);
      } catch {
        return refuse("tokenUrl must be a valid https URL");
      }
      // Credentials belong in clientId/clientSecret; a user or password in the URL would be kept in the clear.
      if (url.username || url.password || hasAmbiguousUserinfo(tokenUrl)) return refuse("tokenUrl must not carry a user or password: put them in clientId and clientSecret");
      // The metadata (shown to every reader) keeps the endpoint only: a query or fragment may carry a secret.
      endpoint = url.origin + url.pathname;
    }
    return accept({ clientId, ...(endpoint ? { tokenUrl: endpoint } : {}) });
  },
};
