import {
  Metadata,
  status as grpcStatus,
  type ServerInterceptingCall,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServiceDefinition,
} from "@grpc/grpc-js";
import { hashToken } from "@keyward/common";
import { SecretsServiceService } from "@keyward/proto";
import { tokenFromMetadata } from "./auth.js";
import { lookupToken } from "./caller.js";
import { SECRET_READ_ACTION } from "./handlers/get-secret.js";
import { REGISTER_ACTION } from "./handlers/register-token.js";
import { SIGN_ACTION } from "./handlers/sign.js";
import { VERIFY_ACTION } from "./handlers/verify.js";
import { WATCH_ACTION } from "./handlers/watch-secrets.js";
import type { GrpcRuntime } from "./runtime.js";
import { REASON_TRAILER, type Reason } from "./status.js";

/**
 * Requests that never reach a Keyward handler because grpc-js cannot hand one over: a message over
 * `grpc.max_receive_message_length`, or bytes that are not the request's protobuf message. Without
 * this module grpc-js answers them itself (RESOURCE_EXHAUSTED, INTERNAL), with no `keyward-reason`
 * trailer, no audit row and no log line. With it they are answered
 *
 * - too large: RESOURCE_EXHAUSTED `too_large`,
 * - undecodable: INVALID_ARGUMENT `invalid_argument` (a client error, not a server failure),
 *
 * each with one audit row (`refused`, target `request`) under the caller's actor id when the token
 * in the metadata is known ("(none)" without a usable token, "(unknown)" for an unregistered one),
 * and one log line. Nothing else is written: no stub, no access request.
 */

/** What `requestDeserialize` returns instead of throwing, so the interceptor can answer it. */
const UNDECODABLE: unique symbol = Symbol("keyward.undecodable-request");

/**
 * The service definition with request decoders that never throw: bytes that do not decode become
 * a marker the interceptor refuses before any handler sees it (grpc-js would answer INTERNAL).
 */
export function withTolerantDecoding<T extends ServiceDefinition>(definition: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition)) {
    out[key] = {
      ...method,
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes);
        } catch {
          return UNDECODABLE;
        }
      },
    };
  }
  return out as T;
}

const RPCS = new Map<string, { rpc: string; action: string }>([
  [SecretsServiceService.getSecret.path, { rpc: "GetSecret", action: SECRET_READ_ACTION }],
  [SecretsServiceService.getSecrets.path, { rpc: "GetSecrets", action: SECRET_READ_ACTION }],
  [SecretsServiceService.registerToken.path, { rpc: "RegisterToken", action: REGISTER_ACTION }],
  [SecretsServiceService.watchSecrets.path, { rpc: "WatchSecrets", action: WATCH_ACTION }],
  [SecretsServiceService.sign.path, { rpc: "Sign", action: SIGN_ACTION }],
  [SecretsServiceService.verify.path, { rpc: "Verify", action: VERIFY_ACTION }],
]);

/** The actor id of the caller: like authorizeCaller, but never refusing and never rate-limiting. */
async function actorOf(rt: GrpcRuntime, metadata: Metadata): Promise<string> {
  const parsed = tokenFromMetadata(metadata);
  if (parsed.kind !== "ok") return "(none)";
  const token = await lookupToken(rt, hashToken(parsed.token));
  return token ? `${token.service_name}#${token.id}` : "(unknown)";
}

type SentStatus = Parameters<ServerInterceptingCallInterface["sendStatus"]>[0];
/** grpc-js does not export this name; it is what a call's `start` takes. */
type InterceptingServerListener = Parameters<ServerInterceptingCallInterface["start"]>[0];

const hasReason = (s: SentStatus) => (s.metadata?.get(REASON_TRAILER).length ?? 0) > 0;

type Rpc = { rpc: string; action: string };

/**
 * One call's guard: it stands between grpc-js's own call and the handler, as the call the handler
 * answers through and as the listener grpc-js's call reports to. One object per call with its
 * methods on the prototype, instead of grpc-js's generic ServerInterceptingCall, listener builder
 * and closures: those were a measurable part of every GetSecret's cost (issue #18).
 */
class UnreadableRequestGuard implements ServerInterceptingCallInterface, InterceptingServerListener {
  private readonly started = performance.now();
  private metadata: Metadata | undefined;
  /** The handler's listener, set when it starts the call. */
  private next: InterceptingServerListener | undefined;
  /** A decoded request went on to the handler: from then on the handler answers. */
  private handedOver = false;
  /** A refusal of ours is being audited; grpc-js's further statuses (e.g. more size errors) are dropped. */
  private refusing = false;
  private readonly send: (status: SentStatus) => void;

  constructor(
    private readonly rt: GrpcRuntime,
    private readonly rpc: Rpc,
    private readonly call: ServerInterceptingCallInterface,
  ) {
    const send = call.sendStatus;
    this.send = (status) => send.call(call, status);
    // grpc-js's call sends its own size-limit refusal to itself, past any wrapper: see it there.
    call.sendStatus = (status) => this.sendStatus(status);
  }

  // As the call the handler sees.
  start(listener: InterceptingServerListener): void {
    this.next = listener;
    this.call.start(this);
  }
  sendMetadata(metadata: Metadata): void {
    this.call.sendMetadata(metadata);
  }
  sendMessage(message: unknown, callback: () => void): void {
    this.call.sendMessage(message, callback);
  }
  sendStatus(status: SentStatus): void {
    if (this.refusing) return;
    if (!this.handedOver && status.code === grpcStatus.RESOURCE_EXHAUSTED && !hasReason(status)) {
      return this.refuse(grpcStatus.RESOURCE_EXHAUSTED, "too_large", `the request is larger than this server accepts (${this.rt.options.maxMessageBytes} bytes)`);
    }
    this.send(status);
  }
  startRead(): void {
    this.call.startRead();
  }
  getPeer() {
    return this.call.getPeer();
  }
  getDeadline() {
    return this.call.getDeadline();
  }
  getHost() {
    return this.call.getHost();
  }
  getAuthContext() {
    return this.call.getAuthContext();
  }
  getConnectionInfo() {
    return this.call.getConnectionInfo();
  }
  getMetricsRecorder() {
    return this.call.getMetricsRecorder();
  }

  // As the listener grpc-js's call reports to.
  onReceiveMetadata(metadata: Metadata): void {
    this.metadata = metadata;
    this.next!.onReceiveMetadata(metadata);
  }
  onReceiveMessage(message: unknown): void {
    if (this.refusing) return;
    if (message === UNDECODABLE) return this.refuse(grpcStatus.INVALID_ARGUMENT, "invalid_argument", `the request is not a valid ${this.rpc.rpc} request message`);
    this.handedOver = true;
    this.next!.onReceiveMessage(message);
  }
  onReceiveHalfClose(): void {
    if (!this.refusing) this.next!.onReceiveHalfClose();
  }
  onCancel(): void {
    this.next!.onCancel();
  }

  private refuse(code: grpcStatus, reason: Reason, message: string): void {
    this.refusing = true;
    const { rt, rpc, call } = this;
    const { logger } = rt.deps;
    const metadata = this.metadata ?? new Metadata();
    const answer = () => {
      const trailer = new Metadata();
      trailer.set(REASON_TRAILER, reason);
      this.send({ code, details: message, metadata: trailer });
    };
    void (async () => {
      const actorId = await actorOf(rt, metadata);
      // The audit row is committed before the answer, as for every other refusal.
      await rt.audit.record({ metadata, getPeer: () => call.getPeer() }, { actorId, action: rpc.action, target: "request", result: "refused", reason });
      logger.info({ rpc: rpc.rpc, peer: call.getPeer(), actor: actorId, code: grpcStatus[code], reason, ms: Math.round((performance.now() - this.started) * 10) / 10 }, "grpc call");
    })()
      .catch((error: unknown) => {
        logger.error({ rpc: rpc.rpc, peer: call.getPeer(), code: grpcStatus[code], reason, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "grpc refusal not audited");
      })
      .finally(answer);
  }
}

/**
 * The server interceptor for requests grpc-js cannot hand to a handler (see above). It must be the
 * first of the server's interceptors: grpc-js's own call (the innermost one) sends its size-limit
 * refusal to itself (`this.sendStatus`), past every interceptor's responder, so the guard wraps that
 * call's `sendStatus` to see it. A status that carries a `keyward-reason` trailer (every answer
 * Keyward's handlers give) and any status after a request was handed over pass untouched.
 */
export function unreadableRequestInterceptor(rt: GrpcRuntime): ServerInterceptor {
  // grpc-js types an interceptor's result as its ServerInterceptingCall class, but only calls the
  // interface's methods on it (server-interceptors' getServerInterceptingCall chains them as such).
  return (method, call) => {
    const rpc = RPCS.get(method.path);
    return (rpc ? new UnreadableRequestGuard(rt, rpc, call) : call) as ServerInterceptingCall;
  };
}
