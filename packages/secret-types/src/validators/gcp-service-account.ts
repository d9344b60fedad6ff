import { accept, refuse } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { PemInspector, SecretTypeDefinition } from "../types.js";

export const gcpServiceAccount = (pem: PemInspector): SecretTypeDefinition => ({
  name: "gcp-service-account",
  describe: "A GCP service account key file (JSON with type service_account, client_email, private_key, token_uri)",
  validate(value) {
    const json = jsonObject(value, "a service account key file");
    if ("refusal" in json) return json.refusal;
    const o = json.object;
    if (o.type !== "service_account") return refuse('type must be "service_account"');
    const email = field(o, "client_email");
    if (!email || !/^[^@\s]+@[^@\s]+\.[a-z]+$/i.test(email)) return refuse("client_email must be an email address");
    const key = field(o, "private_key");
    if (!key) return refuse("private_key is missing");
    const parsed = pem.privateKey(key);
    if (!parsed.ok) return refuse(`private_key: ${parsed.problem}`);
    const tokenUri = field(o, "token_uri");
    if (!tokenUri || !/^https:\/\//.test(tokenUri)) return refuse("token_uri must be an https URL");
    const projectId = field(o, "project_id");
    const keyId = field(o, "private_key_id");
    return accept({ clientEmail: email, ...(projectId ? { projectId } : {}), ...(keyId ? { privateKeyId: keyId } : {}), ...parsed.metadata });
  },
});
