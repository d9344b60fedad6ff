import {
  Metadata,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
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

type SentStatus = Parameters<ServerInterceptingCall["sendStatus"]>[0];

const hasReason = (s: SentStatus) => (s.metadata?.get(REASON_TRAILER).length ?? 0) > 0;

/**
 * The server interceptor for requests grpc-js cannot hand to a handler (see above). It must be the
 * first of the server's interceptors: grpc-js's own call (the innermost one) sends its size-limit
 * refusal to itself (`this.sendStatus`), past every interceptor's responder, so the interceptor
 * wraps that call's `sendStatus` to see it. A status that carries a `keyward-reason` trailer (every
 * answer Keyward's handlers give) and any status after a request was handed over pass untouched.
 */
export function unreadableRequestInterceptor(rt: GrpcRuntime): ServerInterceptor {
  const { logger } = rt.deps;
  return (method, call) => {
    const rpc = RPCS.get(method.path);
    if (!rpc) return new ServerInterceptingCall(call);
    const started = performance.now();
    let metadata = new Metadata();
    /** A decoded request went on to the handler: from then on the handler answers. */
    let handedOver = false;
    /** A refusal of ours is being audited; grpc-js's further statuses (e.g. more size errors) are dropped. */
    let refusing = false;
    const send = call.sendStatus.bind(call);

    const refuse = (code: status, reason: Reason, message: string) => {
      refusing = true;
      const answer = () => {
        const trailer = new Metadata();
        trailer.set(REASON_TRAILER, reason);
        send({ code, details: message, metadata: trailer });
      };
      void (async () => {
        const actorId = await actorOf(rt, metadata);
        // The audit row is committed before the answer, as for every other refusal.
        await rt.audit.record({ metadata, getPeer: () => call.getPeer() }, { actorId, action: rpc.action, target: "request", result: "refused", reason });
        logger.info({ rpc: rpc.rpc, peer: call.getPeer(), actor: actorId, code: status[code], reason, ms: Math.round((performance.now() - started) * 10) / 10 }, "grpc call");
      })()
        .catch((error: unknown) => {
          logger.error({ rpc: rpc.rpc, peer: call.getPeer(), code: status[code], reason, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "grpc refusal not audited");
        })
        .finally(answer);
    };

    call.sendStatus = (s: SentStatus) => {
      if (refusing) return;
      if (!handedOver && s.code === status.RESOURCE_EXHAUSTED && !hasReason(s)) {
        return refuse(status.RESOURCE_EXHAUSTED, "too_large", `the request is larger than this server accepts (${rt.options.maxMessageBytes} bytes)`);
      }
      send(s);
    };

    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((md, next) => {
        metadata = md;
        next(md);
      })
      .withOnReceiveMessage((message, next) => {
        if (refusing) return;
        if (message === UNDECODABLE) return refuse(status.INVALID_ARGUMENT, "invalid_argument", `the request is not a valid ${rpc.rpc} request message`);
        handedOver = true;
        next(message);
      })
      .withOnReceiveHalfClose((next) => {
        if (!refusing) next();
      })
      .build();
    return new ServerInterceptingCall(call, { start: (next) => next(listener) });
  };
}
