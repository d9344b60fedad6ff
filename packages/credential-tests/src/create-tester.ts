import type { CredentialTestOptions, CredentialTestResult } from "./result.js";
import { hasTester, testCredential } from "./test-credential.js";

/** The testers with a deployment's settings bound in: what the admin API and the scheduler call. */
export interface CredentialTester {
  /** Whether secrets of this type have a connection test. */
  has(type: string): boolean;
  /** Tests one value of that type (the settings given at creation, plus this call's signal). */
  test(type: string, value: string, options: { signal?: AbortSignal }): Promise<CredentialTestResult>;
}

/** A CredentialTester over every tester here, with `defaults` (base URLs, timeout, …) for each call. */
export function createCredentialTester(defaults: Omit<CredentialTestOptions, "signal"> = {}): CredentialTester {
  return {
    has: hasTester,
    test: (type, value, options) => testCredential(type, value, { ...defaults, ...(options.signal ? { signal: options.signal } : {}) }),
  };
}
