import { malformed, parsed } from "../result.js";
import { GUID, field, jsonObject } from "../text.js";
import type { ShapeResult } from "../types.js";

/** An Azure app registration's secret, as the validator and the connection test both read it. */
export interface AzureClientSecret {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** A verified domain (contoso.onmicrosoft.com): labels of letters, digits and hyphens, so never a path. */
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * JSON `{tenantId, clientId, clientSecret}`, or as the Azure CLI prints a service principal
 * (`tenant`, `appId`, `password`) or in snake case. The tenant is checked here because the connection
 * test puts it in the token URL's path; the validator adds the GUID and length rules.
 */
export function parseAzureClientSecret(value: string): ShapeResult<AzureClientSecret> {
  const json = jsonObject(value, '{"tenantId", "clientId", "clientSecret"}');
  if (!json.ok) return json;
  const tenantId = field(json.value, "tenantId", "tenant_id", "tenant");
  const clientId = field(json.value, "clientId", "client_id", "appId");
  const clientSecret = field(json.value, "clientSecret", "client_secret", "password");
  if (!tenantId) return malformed("tenantId is missing");
  if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) return malformed("tenantId must be a GUID or a domain (contoso.onmicrosoft.com)");
  if (!clientId) return malformed("clientId is missing");
  if (!clientSecret) return malformed("clientSecret is missing");
  return parsed({ tenantId, clientId, clientSecret });
}
