import fs from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GetSecretRequest, RegisterTokenResponse, SECRET_TYPES, SecretType, SecretsServiceService, TokenStatus, secretTypeName, secretTypeOf, tokenStatusToJSON } from "../src/index.js";

const pkg = path.resolve(import.meta.dirname, "..");

describe("@keyward/proto", () => {
  it("encodes and decodes GetSecretRequest", () => {
    const policy = { type: SecretType.SECRET_TYPE_API_KEY, rotationDays: 30, reminderDays: 7, rulesJson: JSON.stringify({ pattern: "^sk_" }) };
    const bytes = GetSecretRequest.encode({ name: "STRIPE_API_KEY", description: "Stripe", policy }).finish();
    expect(GetSecretRequest.decode(bytes)).toEqual({ name: "STRIPE_API_KEY", description: "Stripe", policy });
    // A client from before policies sends none.
    expect(GetSecretRequest.decode(GetSecretRequest.encode({ name: "A", description: "" }).finish()).policy).toBeUndefined();
  });

  it("derives the one vocabulary of secret types from the SecretType enum", () => {
    expect(SECRET_TYPES).toEqual([
      "api-key", "llm-api-key", "database-url", "oauth-token", "password", "certificate", "generic",
      "aws-access-key", "gcp-service-account", "azure-client-secret", "pem-certificate", "pem-private-key", "ssh-private-key",
      "jwt-signing-key", "oauth2-client", "webhook-secret", "stripe-key", "github-token", "smtp",
    ]);
    // Appended, never renumbered: an older client's CERTIFICATE still decodes as 6.
    expect(SecretType.SECRET_TYPE_CERTIFICATE).toBe(6);
    expect(SecretType.SECRET_TYPE_GITHUB_TOKEN).toBe(18);
    for (const name of SECRET_TYPES) expect(secretTypeName(secretTypeOf(name))).toBe(name);
    expect(secretTypeOf("api_key")).toBe(SecretType.SECRET_TYPE_UNSPECIFIED);
    expect(secretTypeName(SecretType.SECRET_TYPE_UNSPECIFIED)).toBeUndefined();
    expect(secretTypeName(99 as SecretType)).toBeUndefined();
  });

  it("describes the grpc-js service", () => {
    expect(SecretsServiceService.getSecret.path).toBe("/keyward.secrets.v1.SecretsService/GetSecret");
    expect(SecretsServiceService.registerToken.path).toBe("/keyward.secrets.v1.SecretsService/RegisterToken");
    expect(TokenStatus.TOKEN_STATUS_PENDING).toBe(1);
  });

  it("reports an expired token and carries the expiry as a Timestamp", () => {
    expect(TokenStatus.TOKEN_STATUS_EXPIRED).toBe(4);
    expect(tokenStatusToJSON(TokenStatus.TOKEN_STATUS_EXPIRED)).toBe("TOKEN_STATUS_EXPIRED");
    const expiresAt = new Date("2030-01-02T03:04:05.678Z");
    const bytes = RegisterTokenResponse.encode({ status: TokenStatus.TOKEN_STATUS_EXPIRED, message: "expired", expiresAt }).finish();
    expect(RegisterTokenResponse.decode(bytes)).toEqual({ status: TokenStatus.TOKEN_STATUS_EXPIRED, message: "expired", expiresAt });
    // Unset when the token has no expiry.
    const none = RegisterTokenResponse.encode({ status: TokenStatus.TOKEN_STATUS_PENDING, message: "", expiresAt: undefined }).finish();
    expect(RegisterTokenResponse.decode(none).expiresAt).toBeUndefined();
  });

  it("ships the .proto and its generated code is not stale", () => {
    expect(fs.existsSync(path.join(pkg, "proto/keyward/secrets/v1/secrets.proto"))).toBe(true);
    const out = execFileSync("node", ["scripts/generate.mjs", "--check"], { cwd: pkg }).toString();
    expect(out).toContain("up to date");
  });
});
