import { accept, refuse } from "../result.js";
import { parseGcpServiceAccount } from "../shapes/gcp-service-account.js";
import type { PemInspector, SecretTypeDefinition } from "../types.js";

export const gcpServiceAccount = (pem: PemInspector): SecretTypeDefinition => ({
  name: "gcp-service-account",
  describe: "A GCP service account key file (JSON with type service_account, client_email, an RSA private_key, https token_uri)",
  validate(value) {
    const parsed = parseGcpServiceAccount(value, pem);
    if (!parsed.ok) return parsed;
    const { clientEmail, tokenUri, projectId, privateKeyId, keyFacts } = parsed.value;
    // The connection test also takes a plain-http token_uri (a local test server); a stored key file names Google's https one.
    if (!tokenUri || !/^https:\/\//.test(tokenUri)) return refuse("token_uri must be an https URL");
    return accept({ clientEmail, ...(projectId ? { projectId } : {}), ...(privateKeyId ? { privateKeyId } : {}), ...keyFacts });
  },
});
