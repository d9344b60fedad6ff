import { UsageError } from "@keyward/common";
import { CliError, EXIT } from "../exit-codes.js";

/**
 * The one mapping of a provider read's failure to the CLI's exit codes, for every `--from` source:
 * a bad setting is a usage error (2), refused credentials or policy 3, unreachable or throttled 4,
 * anything else 1. The message is the provider's (secret-free by contract), after `cannot read from <store>:`.
 */
export function providerFailure(store: string, error: unknown): never {
  if (error instanceof Error && error.name === "SecretsConfigError") throw new UsageError(error.message);
  if (error instanceof Error && error.name === "ProviderError") {
    const { reason, message } = error as Error & { reason: string };
    if (reason === "invalid_config") throw new UsageError(`cannot read from ${store}: ${message}`);
    const code = reason === "unavailable" || reason === "throttled" ? EXIT.unreachable : reason === "unauthenticated" || reason === "permission_denied" ? EXIT.auth : EXIT.failed;
    throw new CliError(`cannot read from ${store}: ${message}`, code);
  }
  if (error instanceof Error && error.name === "TimeoutError") throw new CliError(`cannot read from ${store}: no answer within the time limit`, EXIT.unreachable);
  throw error;
}

/**
 * Loads a provider entry point of @keyward/secrets whose SDK is an optional peer dependency; a
 * missing SDK is a usage error naming the package to install.
 */
export async function loadProviderModule<T>(store: string, sdks: readonly string[], load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const missing = sdks.filter((sdk) => (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes(sdk));
    if (missing.length > 0) throw new UsageError(`install ${sdks.join(" and ")} to import from ${store}`);
    throw error;
  }
}
