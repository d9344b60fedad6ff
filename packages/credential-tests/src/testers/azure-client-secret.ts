import { parseAzureClientSecret } from "@keyward/secret-types";
import { tokenResult } from "../http-answer.js";
import { failed } from "../result.js";
import type { Tester } from "../tester.js";

/**
 * azure-client-secret: the value as the type reads it (parseAzureClientSecret: JSON `{ tenantId, clientId,
 * clientSecret }` or its CLI and snake-case spellings) → a client-credentials token from
 * `{authority}/{tenantId}/oauth2/v2.0/token` (Microsoft identity platform v2). The parser only lets through
 * a tenant that is a GUID or a domain, so it cannot walk the token URL's path.
 */
export const azureClientSecretTester: Tester = {
  label: "Microsoft Entra ID",
  async run(value, { options, fetch, signal, baseUrl }) {
    const parsed = parseAzureClientSecret(value);
    if (!parsed.ok) return failed("invalid", `Azure client secret: ${parsed.problem}`);
    const { tenantId, clientId, clientSecret } = parsed.value;
    const authority = baseUrl("azure-authority", "https://login.microsoftonline.com");
    const res = await fetch(`${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
        scope: options.azureScope ?? "https://graph.microsoft.com/.default",
      }),
      signal,
    });
    return tokenResult("Microsoft Entra ID", res);
  },
};
