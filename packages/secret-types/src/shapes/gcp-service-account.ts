import { structuralPemInspector } from "../pem.js";
import { malformed, parsed } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { PemInspector, SecretMetadata, ShapeResult } from "../types.js";

/** The parts of a GCP service account key file that the validator and the connection test read. */
export interface GcpServiceAccount {
  clientEmail: string;
  /** The PEM private key the account signs its RS256 assertions with. */
  privateKey: string;
  privateKeyId?: string;
  projectId?: string;
  /** Where the assertion is exchanged for a token; absent when the file names none. */
  tokenUri?: string;
  /** What `pem` could tell about the key (node: keyAlgorithm, keySize; the browser inspector: nothing). */
  keyFacts: SecretMetadata;
}

/**
 * The key file JSON the Google console downloads. `pem` reads the private key: the node inspector
 * (`@keyward/secret-types/node`) parses it, and a key that cannot sign RS256 (not RSA, or encrypted)
 * is refused, since the connection test could not use it. The validator adds that token_uri is https.
 */
export function parseGcpServiceAccount(value: string, pem: PemInspector = structuralPemInspector): ShapeResult<GcpServiceAccount> {
  const json = jsonObject(value, "a service account key file");
  if (!json.ok) return json;
  const o = json.value;
  if (o.type !== "service_account") return malformed('type must be "service_account"');
  const clientEmail = field(o, "client_email");
  if (!clientEmail || !/^[^@\s]+@[^@\s]+\.[a-z]+$/i.test(clientEmail)) return malformed("client_email must be an email address");
  const privateKey = field(o, "private_key");
  if (!privateKey) return malformed("private_key is missing");
  const key = pem.privateKey(privateKey);
  if (!key.ok) return malformed(`private_key: ${key.problem}`);
  if (key.metadata.encrypted === true) return malformed("private_key must not be encrypted (a service account signs with it unattended)");
  if (key.metadata.keyAlgorithm !== undefined && key.metadata.keyAlgorithm !== "rsa") return malformed("private_key must be an RSA key (service accounts sign RS256)");
  const tokenUri = field(o, "token_uri");
  if (tokenUri !== undefined && !/^https?:\/\//.test(tokenUri)) return malformed("token_uri must be an https URL");
  const privateKeyId = field(o, "private_key_id");
  const projectId = field(o, "project_id");
  return parsed({
    clientEmail,
    privateKey,
    ...(privateKeyId ? { privateKeyId } : {}),
    ...(projectId ? { projectId } : {}),
    ...(tokenUri ? { tokenUri } : {}),
    keyFacts: key.metadata,
  });
}
