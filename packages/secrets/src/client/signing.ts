import { SigningAlgorithm as ProtoAlgorithm } from "@keyward/proto";
import { SecretsClientError } from "./errors.js";
import type { ResilientCall } from "./resilient-call.js";
import type { Transport } from "./transport.js";
import type { SecretsClient, SignedPayload, SigningAlgorithm } from "./types.js";

/** The most payload bytes the service signs or verifies (its own bound, checked here first so no call is made). */
export const MAX_SIGN_PAYLOAD_BYTES = 64 * 1024;

const ALGORITHMS: Partial<Record<ProtoAlgorithm, SigningAlgorithm>> = {
  [ProtoAlgorithm.SIGNING_ALGORITHM_HMAC_SHA256]: "hmac-sha256",
  [ProtoAlgorithm.SIGNING_ALGORITHM_ED25519]: "ed25519",
};

const bytesOf = (payload: Uint8Array | string, purpose: string, what: string): Uint8Array => {
  const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  if (bytes.length > MAX_SIGN_PAYLOAD_BYTES) {
    throw new SecretsClientError(purpose, "too_large", `cannot ${what} with ${purpose}: too_large: payload: at most ${MAX_SIGN_PAYLOAD_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
};

/** `sign` and `verify` of the keyward client: one gRPC call each, through the client's retries and circuit breaker. */
export function createSigning(deps: { transport: Transport; call: ResilientCall; isClosed: () => boolean }): Pick<SecretsClient<never>, "sign" | "verify"> {
  const open = (purpose: string, what: string) => {
    if (deps.isClosed()) throw new SecretsClientError(purpose, "closed", `cannot ${what} with ${purpose}: the client is closed`);
  };
  const algorithmOf = (value: ProtoAlgorithm, purpose: string) => {
    const algorithm = ALGORITHMS[value];
    if (!algorithm) throw new SecretsClientError(purpose, "internal", `the service answered with an unknown signing algorithm for ${purpose}`);
    return algorithm;
  };
  return {
    async sign(payload, purpose): Promise<SignedPayload> {
      open(purpose, "sign");
      const bytes = bytesOf(payload, purpose, "sign");
      const res = await deps.call(purpose, `sign with ${purpose}`, () => deps.transport.sign(bytes, purpose));
      return { signature: res.signature, algorithm: algorithmOf(res.algorithm, purpose), keyVersion: res.keyVersion, ...(res.publicKey ? { publicKey: res.publicKey } : {}) };
    },
    async verify(payload, signature, purpose): Promise<boolean> {
      open(purpose, "verify");
      const bytes = bytesOf(payload, purpose, "verify");
      const res = await deps.call(purpose, `verify with ${purpose}`, () => deps.transport.verify(bytes, signature, purpose));
      return res.valid;
    },
  };
}

/** What the env and provider clients answer: only Keyward holds named signing keys. */
export function unsupportedSigning(provider: string): Promise<never> {
  return Promise.reject(new SecretsClientError(undefined, "unsupported", `sign and verify are only supported by the keyward provider (this client uses "${provider}")`));
}
