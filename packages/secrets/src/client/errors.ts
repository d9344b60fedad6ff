/** Why a secret could not be fetched; `reason` comes from the service's keyward-reason trailer. */
export type SecretsClientReason =
  | "token_missing"
  | "token_malformed"
  | "token_unknown"
  | "token_pending"
  | "token_revoked"
  | "invalid_name"
  | "secret_missing"
  | "secret_no_value"
  | "secret_disabled"
  | "access_pending"
  | "access_denied"
  | "access_revoked"
  | "unavailable"
  | "internal";

/** Never carries the value or the token: only the secret's name, the reason and the service's message. */
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
