import fs from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GetSecretRequest, SecretsServiceService, TokenStatus } from "../src/index.js";

const pkg = path.resolve(import.meta.dirname, "..");

describe("@keyward/proto", () => {
  it("encodes and decodes GetSecretRequest", () => {
    const bytes = GetSecretRequest.encode({ name: "STRIPE_API_KEY", description: "Stripe" }).finish();
    expect(GetSecretRequest.decode(bytes)).toEqual({ name: "STRIPE_API_KEY", description: "Stripe" });
  });

  it("describes the grpc-js service", () => {
    expect(SecretsServiceService.getSecret.path).toBe("/keyward.secrets.v1.SecretsService/GetSecret");
    expect(SecretsServiceService.registerToken.path).toBe("/keyward.secrets.v1.SecretsService/RegisterToken");
    expect(TokenStatus.TOKEN_STATUS_PENDING).toBe(1);
  });

  it("ships the .proto and its generated code is not stale", () => {
    expect(fs.existsSync(path.join(pkg, "proto/keyward/secrets/v1/secrets.proto"))).toBe(true);
    const out = execFileSync("node", ["scripts/generate.mjs", "--check"], { cwd: pkg }).toString();
    expect(out).toContain("up to date");
  });
});
