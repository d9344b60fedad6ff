import { SecretsBatchError, SecretsClientError, type SecretsClient, type SecretsSchemaDoc } from "@keyward/secrets";
import { CliError, EXIT } from "../exit-codes.js";

/** Either every declared value (optional ones may be absent), or what waits for an admin. Never printed whole. */
export type FetchOutcome = { kind: "ready"; values: Record<string, string> } | { kind: "waiting"; waits: string[] };

/** Reasons an admin can resolve: run says what waits and exits 5. */
const WAITS: Record<string, string> = {
  token_pending: "the service token waits for approval",
  access_pending: "access waits for approval (or the secret has no value yet)",
  secret_no_value: "the secret has no value yet",
  secret_missing: "the secret does not exist yet",
};

const UNREACHABLE = new Set(["unavailable", "deadline_exceeded", "circuit_open"]);

function failure(error: SecretsClientError, url: string): CliError {
  if (UNREACHABLE.has(error.reason)) return new CliError(`cannot reach the Keyward gRPC API at ${url} (${error.reason}); is the service running? pass --service-url HOST:PORT`, EXIT.unreachable);
  return new CliError(error.message, EXIT.failed);
}

/**
 * Registers the app's token (first use creates it pending) and fetches every declared secret in
 * one batch. A pending token or access becomes a "waiting" outcome naming service and secrets; a
 * revoked token, a disabled or denied secret, or an invalid value is a CliError (its message never
 * holds a value).
 */
export async function fetchAppValues(client: SecretsClient<SecretsSchemaDoc>, service: string, url: string): Promise<FetchOutcome> {
  let status: string;
  try {
    status = await client.register();
  } catch (error) {
    if (error instanceof SecretsClientError) throw failure(error, url);
    throw error;
  }
  if (status === "pending") return { kind: "waiting", waits: [`service ${service}: the service token waits for approval (keyward approvals, or the console's Tokens page)`] };
  if (status !== "approved") throw new CliError(`service ${service}: the service token is ${status}; an admin must ${status === "expired" ? "extend it" : "issue a new one"} (delete the token file to register a new token)`, EXIT.auth);
  try {
    const values = await client.getSecrets();
    return { kind: "ready", values: Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string")) };
  } catch (error) {
    if (!(error instanceof SecretsClientError)) throw error;
    const failures = error instanceof SecretsBatchError ? error.failures : [error];
    const blocking = failures.find((f) => !(f.reason in WAITS));
    if (blocking) throw failure(blocking, url);
    return { kind: "waiting", waits: failures.map((f) => `${f.secretName ?? "?"}: ${WAITS[f.reason]} (service ${service})`) };
  }
}
