import type { BaseUrlName, CredentialTestOptions, CredentialTestResult } from "./result.js";

/** What a tester gets besides the value: the options, the test's signal (timeout and caller), and the resolved fetch. */
export interface TesterContext {
  options: CredentialTestOptions;
  /** Aborts when the test times out or the caller cancels; testers pass it on and clean up on it. */
  signal: AbortSignal;
  timeoutMs: number;
  fetch: typeof fetch;
  /** The configured base URL for `name`, or `fallback`, without a trailing slash. */
  baseUrl(name: BaseUrlName, fallback: string): string;
}

/** One provider's check. `label` names the target in error texts ("OpenAI did not answer within 10000 ms"). */
export interface Tester {
  label: string;
  /** Returns typed outcomes for answers; throws for transport failures, which testCredential classifies. */
  run(value: string, context: TesterContext): Promise<CredentialTestResult>;
  /** A type served by several providers picks the one for this value; its label then names the target. */
  select?(value: string, options: CredentialTestOptions): Tester;
}
