import { jsonFields } from "../json-value.js";
import { tokenResult } from "../http-answer.js";
import { failed } from "../result.js";
import type { Tester } from "../tester.js";

/** A tenant is a GUID or a verified domain; anything else could walk the token URL's path. */
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;

/**
 * azure-client-secret: JSON `{ tenantId, clientId, clientSecret }` → a client-credentials token from
 * `{authority}/{tenantId}/oauth2/v2.0/token` (Microsoft identity platform v2).
 */
export const azureClientSecretTester: Tester = {
  label: "Microsoft Entra ID",
  async run(value, { options, fetch, signal, baseUrl }) {
    const parsed = jsonFields(value, "Azure client secret", ["tenantId", "clientId", "clientSecret"] as const);
    if (!parsed.ok) return parsed.result;
    const { tenantId, clientId, clientSecret } = parsed.value;
    if (!TENANT.test(tenantId)) return failed("invalid", "Azure client secret: tenantId is not a GUID or domain");
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
