import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { jsonFields } from "../json-value.js";
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
 * gcp-service-account: the key file's JSON → a JWT-bearer token exchange at its token_uri (the assertion's
 * audience). The `gcp-token` base URL, when set, is where the exchange is sent instead (a proxy or a test).
 */
export const gcpServiceAccountTester: Tester = {
  label: "Google OAuth",
  async run(value, { options, fetch, signal }) {
    const parsed = jsonFields(value, "GCP service account", ["client_email", "private_key"] as const, ["private_key_id", "token_uri", "type"] as const);
    if (!parsed.ok) return parsed.result;
    const account = parsed.value;
    if (account.type !== undefined && account.type !== "service_account") return failed("invalid", "GCP service account: type is not service_account");
    let key: KeyObject;
    try {
      key = createPrivateKey(account.private_key);
    } catch {
      return failed("invalid", "GCP service account: private_key is not a PEM private key");
    }
    if (key.asymmetricKeyType !== "rsa") return failed("invalid", "GCP service account: private_key is not an RSA key");
    const audience = account.token_uri ?? GOOGLE_TOKEN_URI;
    if (!/^https?:\/\//.test(audience)) return failed("invalid", "GCP service account: token_uri is not an http(s) URL");
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
