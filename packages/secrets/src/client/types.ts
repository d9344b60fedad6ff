import type { ProviderHealth } from "../providers/types.js";

/** The shape of a generated `secretsSchema` const (or any secrets.schema.json read `as const`). */
export interface SecretsSchemaDoc {
  readonly properties: {
    readonly [name: string]: {
      readonly description: string;
      readonly "x-keyward"?: { readonly optional?: boolean; readonly type?: string; readonly rotationDays?: number; readonly reminderDays?: number };
    };
  };
}

export type SecretName<S extends SecretsSchemaDoc> = keyof S["properties"] & string;

/** An optional secret may be absent; every other one is a string. */
export type SecretValue<S extends SecretsSchemaDoc, K extends SecretName<S>> = S["properties"][K] extends { readonly "x-keyward": { readonly optional: true } }
  ? string | undefined
  : string;

/** What `getSecrets` resolves to: one key per requested name, each typed like `getSecret`. */
export type SecretsOf<S extends SecretsSchemaDoc, K extends SecretName<S>> = { [P in K]: SecretValue<S, P> };

/**
 * Where the service token stands: `"expired"` is a token an admin approved whose expiry has passed
 * (an admin must extend it, or issue a new token).
 */
export type RegistrationStatus = "pending" | "approved" | "revoked" | "expired";

/** What RegisterToken reported: the status and, when the token has an expiry, when it stops (or stopped) working. */
export interface Registration {
  status: RegistrationStatus;
  /** Set for an approved or expired token with an expiry; absent when it never expires (or is pending or revoked). */
  expiresAt?: Date;
}

export interface WaitForApprovalOptions {
  /** Give up after this long (default 300 000 ms). */
  timeoutMs?: number;
  /** Ask again this often (default 5000 ms). */
  pollMs?: number;
}

/**
 * How the client's source is doing: `healthy`, `degraded` (still serves, e.g. a pending token or a
 * standby server) or `unavailable`, with a short secret-free reason.
 */
export type ClientHealth = ProviderHealth;

/** The algorithm of a named signing key, chosen by the admin who created it. */
export type SigningAlgorithm = "hmac-sha256" | "ed25519";

/** What `sign` resolves to. */
export interface SignedPayload {
  /** `kw1.<key version>.<base64url signature>`: pass it to `verify` as it is. */
  signature: string;
  algorithm: SigningAlgorithm;
  /** The key version that signed (rotation makes a new one; old ones verify until retired). */
  keyVersion: number;
  /** Ed25519 only: the raw 32-byte public key (base64) that verifies it without Keyward. */
  publicKey?: string;
}

export interface SecretsClient<S extends SecretsSchemaDoc> {
  /** One secret; only names the schema declares compile. */
  getSecret<K extends SecretName<S>>(name: K): Promise<SecretValue<S, K>>;
  /** Every declared secret, fetched in one batched call. */
  getSecrets(): Promise<SecretsOf<S, SecretName<S>>>;
  /** The named secrets, fetched in one batched call (one per 100 names). */
  getSecrets<const K extends readonly SecretName<S>[]>(names: K): Promise<SecretsOf<S, K[number]>>;
  /** Registers the token with the service; an admin must approve a pending one. */
  register(): Promise<RegistrationStatus>;
  /** Registers the token like `register()` and reports its status with its expiry (`expiresAt`), so an app can warn before it expires. */
  registration(): Promise<Registration>;
  /**
   * Registers, then asks again every pollMs until an admin approves the token, and resolves with the
   * approved registration (with its `expiresAt`, if any); throws token_pending on timeout,
   * token_revoked if revoked and token_expired at once if the token's expiry has passed.
   */
  waitForApproval(options?: WaitForApprovalOptions): Promise<Registration>;
  /**
   * Whether reads would work now, asked of the source without retries: Keyward's gRPC health
   * service and the token's status; a provider's own health check; "env" is always healthy.
   */
  health(): Promise<ClientHealth>;
  /**
   * Signs `payload` (a string is UTF-8) with the named signing key (`purpose`, e.g.
   * SERVICE_ACCOUNT_ISSUANCE); the key never leaves Keyward. Throws a SecretsClientError as
   * getSecret does (access_pending on first use, access_denied, signing_key_disabled…); only the
   * keyward provider signs ("unsupported" otherwise).
   */
  sign(payload: Uint8Array | string, purpose: string): Promise<SignedPayload>;
  /** Whether `signature` is the named key's over `payload`: false for a bad, malformed or retired one; refusals throw as in `sign`. */
  verify(payload: Uint8Array | string, signature: string, purpose: string): Promise<boolean>;
  /** `text` with every value this client has handed out replaced by `[redacted:NAME]`. */
  redact(text: string): string;
  /** Closes the connection and forgets every value; later calls fail with reason "closed". */
  close(): Promise<void>;
}
