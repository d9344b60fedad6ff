import type { SecretsClientReason } from "./reasons.js";

export type { ClientReason, SecretsClientReason, ServerReason } from "./reasons.js";

/** Never carries a value or the token: only the secret's name, the reason and an explanation. */
export class SecretsClientError extends Error {
  constructor(
    readonly secretName: string | undefined,
    readonly reason: SecretsClientReason,
    message: string,
    readonly grpcCode?: number,
  ) {
    super(message);
    this.name = "SecretsClientError";
  }
}

/**
 * `getSecrets` refused one or more names. `failures` holds one SecretsClientError per refused
 * name, in request order; `reason` and `secretName` are those of the first, so code that handles a
 * single SecretsClientError still sees a meaningful reason.
 */
export class SecretsBatchError extends SecretsClientError {
  constructor(readonly failures: readonly SecretsClientError[]) {
    const first = failures[0];
    if (!first) throw new RangeError("SecretsBatchError needs at least one failure");
    // Each failure's message already names its secret and reason.
    const lines = failures.map((f) => `  ${f.message}`);
    super(first.secretName, first.reason, `cannot fetch ${failures.length} secret${failures.length === 1 ? "" : "s"}:\n${lines.join("\n")}`, first.grpcCode);
    this.name = "SecretsBatchError";
  }
}
