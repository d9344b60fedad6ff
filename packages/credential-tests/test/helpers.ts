import { expect } from "vitest";
import type { CredentialTestErrorCode, CredentialTestResult } from "../src/index.js";

/** Asserts an error result with `code`, and that neither the value nor any of its secret parts is in it. */
export function expectFailure(result: CredentialTestResult, code: CredentialTestErrorCode, secrets: string[], text?: RegExp): void {
  expect(result.status).toBe("error");
  if (result.status !== "error") return;
  expect(result.code).toBe(code);
  if (text) expect(result.error).toMatch(text);
  expectSecretFree(result, secrets);
}

/** The whole result, serialized, holds none of the secrets (nor a telling prefix of them). */
export function expectSecretFree(result: CredentialTestResult, secrets: string[]): void {
  const serialized = JSON.stringify(result);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain(secret.slice(0, 12));
  }
  if (result.status === "error") expect(result.error.length).toBeLessThan(120);
}
