import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { nodePemInspector, parseGcpServiceAccount } from "@keyward/secret-types/node";
import { tokenResult } from "../http-answer.js";
import { failed } from "../result.js";
import type { Tester } from "../tester.js";

const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The signed assertion of RFC 7523: RS256 over header.claims, issued by the account, for the token URI. */
export function serviceAccountAssertion(account: { client_email: string; private_key_id?: string }, key: KeyObject, audience: string, scope: string, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", ...(account.private_key_id ? { kid: account.private_key_id } : {}) }));
  const claims = base64url(JSON.stringify({ iss: account.client_email, scope, aud: audience, iat, exp: iat + 300 }));
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * gcp-service-account: the key file as the type reads it (parseGcpServiceAccount with node:crypto's
 * inspector: an unencrypted RSA private_key) → a JWT-bearer token exchange at its token_uri (the
 * assertion's audience). The `gcp-token` base URL, when set, is where the exchange is sent instead (a proxy or a test).
 */
export const gcpServiceAccountTester: Tester = {
  label: "Google OAuth",
  async run(value, { options, fetch, signal }) {
    const parsed = parseGcpServiceAccount(value, nodePemInspector);
    if (!parsed.ok) return failed("invalid", `GCP service account: ${parsed.problem}`);
    const { clientEmail, privateKey, privateKeyId, tokenUri } = parsed.value;
    let key: KeyObject;
    try {
      key = createPrivateKey(privateKey);
    } catch {
      // The inspector has just parsed it with the same call; kept so a key never reaches sign() unparsed.
      return failed("invalid", "GCP service account: private_key: is not a parseable private key");
    }
    // A plain-http token_uri is taken here (a local test server); the type's validator asks for https.
    const audience = tokenUri ?? GOOGLE_TOKEN_URI;
    const account = { client_email: clientEmail, ...(privateKeyId ? { private_key_id: privateKeyId } : {}) };
    const target = options.baseUrls?.["gcp-token"] ?? audience;
    const scope = options.gcpScope ?? "https://www.googleapis.com/auth/cloud-platform";
    const res = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: serviceAccountAssertion(account, key, audience, scope) }),
      signal,
    });
    return tokenResult("Google OAuth", res);
  },
};
