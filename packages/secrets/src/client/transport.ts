import { randomUUID } from "node:crypto";
import { credentials, makeGenericClientConstructor, Metadata, status, type ChannelCredentials, type ServiceError } from "@grpc/grpc-js";
import {
  SecretsServiceClient,
  type GetSecretResponse,
  type GetSecretsResponse,
  type RegisterTokenResponse,
  type SecretRef,
  type SignResponse,
  type VerifyResponse,
  type WatchSecretsResponse,
} from "@keyward/proto";
import { SecretsClientError } from "./errors.js";
import { parseReasonText, type SecretsClientReason } from "./reasons.js";
import type { ResolvedTls } from "./tls.js";

export const REASON_TRAILER = "keyward-reason";

/** One gRPC call each, with the token in metadata and a deadline; failures become SecretsClientErrors. */
export interface Transport {
  getSecret(ref: SecretRef): Promise<GetSecretResponse>;
  getSecrets(refs: SecretRef[]): Promise<GetSecretsResponse>;
  registerToken(serviceName: string, serviceVersion: string, environment: string): Promise<RegisterTokenResponse>;
  sign(payload: Uint8Array, purpose: string): Promise<SignResponse>;
  verify(payload: Uint8Array, signature: string, purpose: string): Promise<VerifyResponse>;
  /** A WatchSecrets stream; `onLive` fires when the service's headers say the subscription is live. */
  watch(names: string[], handlers: { onEvent(event: WatchSecretsResponse): void; onLive(): void; onEnd(error: SecretsClientError | undefined): void }): { cancel(): void };
  /** grpc.health.v1 Check of the whole server, with the call deadline; never throws. */
  health(): Promise<"serving" | "not_serving" | "unreachable">;
  close(): void;
}

// grpc.health.v1.Health/Check with an empty HealthCheckRequest; the answer's field 1 (varint) is
// the status, SERVING = 1. Encoded by hand: two bytes do not need a generated client.
const identity = (b: Buffer) => b;
const HealthClient = makeGenericClientConstructor(
  { Check: { path: "/grpc.health.v1.Health/Check", requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
  "Health",
);
type HealthCheck = (req: Buffer, opts: { deadline: Date }, cb: (err: ServiceError | null, res?: Buffer) => void) => void;

function reasonOf(err: ServiceError, closed: boolean): SecretsClientReason {
  const trailer = err.metadata?.get(REASON_TRAILER)[0];
  const known = typeof trailer === "string" ? parseReasonText(trailer) : undefined;
  if (known) return known;
  if (err.code === status.UNAVAILABLE) return "unavailable";
  if (err.code === status.DEADLINE_EXCEEDED) return "deadline_exceeded";
  if (err.code === status.CANCELLED && closed) return "closed";
  return "internal";
}

/** Messages read "cannot <what>: <reason>: <service's details>"; the details never hold a value. */
export function toClientError(secretName: string | undefined, what: string, err: ServiceError, closed: boolean): SecretsClientError {
  const reason = reasonOf(err, closed);
  return new SecretsClientError(secretName, reason, `cannot ${what}: ${reason}: ${err.details || status[err.code] || "failed"}`, err.code);
}

function channelCredentials(tls: ResolvedTls | undefined): ChannelCredentials {
  // No CA given: grpc-js trusts Node's bundled roots.
  return tls ? credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : credentials.createInsecure();
}

export function createTransport(options: { url: string; token: string; timeoutMs: number; tls: ResolvedTls | undefined }): Transport {
  // Reconnect quickly after the service restarts; grpc-js's defaults back off to two minutes.
  const client = new SecretsServiceClient(options.url, channelCredentials(options.tls), {
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 2000,
    "grpc.primary_user_agent": "keyward-secrets",
    // The name checked against the server's certificate (and sent as SNI and :authority).
    ...(options.tls?.serverName ? { "grpc.ssl_target_name_override": options.tls.serverName, "grpc.default_authority": options.tls.serverName } : {}),
  });
  let closed = false;
  const metadata = () => {
    const md = new Metadata();
    md.set("authorization", `Bearer ${options.token}`);
    // One id per call, recorded in the service's audit rows: every name of a batch shares it.
    md.set("x-request-id", randomUUID());
    return md;
  };
  const deadline = () => ({ deadline: new Date(Date.now() + options.timeoutMs) });
  const unary = <T>(secretName: string | undefined, what: string, call: (cb: (err: ServiceError | null, res: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new SecretsClientError(secretName, "closed", `cannot ${what}: the client is closed`));
      call((err, res) => (err ? reject(toClientError(secretName, what, err, closed)) : resolve(res)));
    });
  return {
    getSecret: (ref) => unary(ref.name, `fetch secret ${ref.name}`, (cb) => client.getSecret(ref, metadata(), deadline(), cb)),
    getSecrets: (refs) => unary(undefined, `fetch ${refs.length} secrets`, (cb) => client.getSecrets({ secrets: refs }, metadata(), deadline(), cb)),
    registerToken: (serviceName, serviceVersion, environment) =>
      unary(undefined, "register the service token", (cb) => client.registerToken({ serviceName, serviceVersion, environment }, metadata(), deadline(), cb)),
    sign: (payload, purpose) => unary(purpose, `sign with ${purpose}`, (cb) => client.sign({ payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), purpose }, metadata(), deadline(), cb)),
    verify: (payload, signature, purpose) => unary(purpose, `verify with ${purpose}`, (cb) => client.verify({ payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), signature, purpose }, metadata(), deadline(), cb)),
    watch(names, { onEvent, onLive, onEnd }) {
      const stream = client.watchSecrets({ names }, metadata());
      let ended = false;
      const end = (error: SecretsClientError | undefined) => {
        if (ended) return;
        ended = true;
        onEnd(error);
      };
      stream.on("metadata", onLive);
      stream.on("data", onEvent);
      stream.on("error", (err: ServiceError) => end(err.code === status.CANCELLED ? undefined : toClientError(undefined, "watch secrets", err, closed)));
      stream.on("end", () => end(undefined));
      return { cancel: () => stream.cancel() };
    },
    health: () =>
      new Promise((resolve) => {
        if (closed) return resolve("unreachable");
        // Shares the secrets client's channel (and its TLS settings).
        const health = new HealthClient(options.url, channelCredentials(options.tls), { channelOverride: client.getChannel() });
        (health as unknown as { Check: HealthCheck }).Check(Buffer.alloc(0), deadline(), (err, res) => {
          if (err || !res) return resolve("unreachable");
          resolve(res[0] === 0x08 && res[1] === 1 ? "serving" : "not_serving");
        });
      }),
    close() {
      closed = true;
      client.close();
    },
  };
}
