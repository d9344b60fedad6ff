import type { CredentialCheckOutcome } from "@keyward/db";

/**
 * What the admin API needs of the connection testers (issue #17): the service wires in
 * @keyward/credential-tests; tests wire in testers pointed at local servers. A tester sends the value
 * only to its target and answers with a short error text that never holds the value.
 */
export interface CredentialTester {
  /** Whether secrets of this type have a connection test. */
  has(type: string): boolean;
  test(type: string, value: string, options: { signal: AbortSignal }): Promise<CredentialCheckOutcome>;
}
