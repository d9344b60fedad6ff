/** Why a test failed, coarse enough for a status badge and for deciding whether to retry. */
export type CredentialTestErrorCode = "unauthorized" | "unreachable" | "timeout" | "invalid" | "unexpected";

/**
 * The outcome of one connectivity test. `error` is short and never holds the value, nor a provider's
 * response body (it could echo the key): only fixed texts, HTTP statuses and error codes.
 */
export type CredentialTestResult = { status: "connected" } | { status: "error"; error: string; code: CredentialTestErrorCode };

/** The names of the base URLs a deployment (or a test) can point elsewhere; see the README's table. */
export const BASE_URL_NAMES = ["openai", "anthropic", "stripe", "github", "aws-sts", "gcp-token", "azure-authority"] as const;
export type BaseUrlName = (typeof BASE_URL_NAMES)[number];

export interface CredentialTestOptions {
  /** Where each provider lives, when not at its public address (a proxy, a sovereign cloud, a test server). */
  baseUrls?: Partial<Record<BaseUrlName, string>>;
  /** The whole test's limit (default 10 000 ms). */
  timeoutMs?: number;
  /** Cancels the test; it then ends with code "unexpected" ("test cancelled"). */
  signal?: AbortSignal;
  /** The fetch the HTTP testers use (default: the global fetch). AWS goes through the SDK's own client. */
  fetch?: typeof fetch;
  /** llm-api-key: which provider the key is for; by default `sk-ant-` keys are Anthropic's, others OpenAI's. */
  llmProvider?: "openai" | "anthropic";
  /** aws-access-key: the STS region when the value names none (default us-east-1). */
  awsRegion?: string;
  /** azure-client-secret: the scope of the requested token (default https://graph.microsoft.com/.default). */
  azureScope?: string;
  /** gcp-service-account: the scope of the requested token (default https://www.googleapis.com/auth/cloud-platform). */
  gcpScope?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export const connected = (): CredentialTestResult => ({ status: "connected" });

export const failed = (code: CredentialTestErrorCode, error: string): CredentialTestResult => ({ status: "error", code, error });
