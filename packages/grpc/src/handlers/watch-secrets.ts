import { Metadata, status, type ServerWritableStream, type ServiceError } from "@grpc/grpc-js";
import { assertNever, secretNameProblem } from "@keyward/common";
import { getSecretByName, getServiceTokenByHash, isServiceTokenExpired, serviceTokenExpiresAt, type BoundServiceToken, type ChangeEvent } from "@keyward/db";
import { ChangeKind, type WatchSecretsRequest, type WatchSecretsResponse } from "@keyward/proto";
import { grantKey } from "../cache/read-cache.js";
import { authorizeCaller, tokenExpired, tokenRevoked, type Refusal } from "../caller.js";
import { getAccessStatus } from "../queries/get-access-status.js";
import type { GrpcRuntime } from "../runtime.js";
import { grpcError, REASON_TRAILER } from "../status.js";
import { batchProblem } from "./get-secrets.js";

export const WATCH_ACTION = "secret.watch";
/** setTimeout's longest delay; a later expiry is re-checked when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Stream = ServerWritableStream<WatchSecretsRequest, WatchSecretsResponse>;

const interrupted = (): Refusal => ({ code: status.UNAVAILABLE, reason: "internal", message: "change notifications were interrupted; re-read your secrets and watch again" });

/**
 * WatchSecrets: streams, for the caller's granted secrets (all of them, or the named ones), the
 * name and new version when a value is set or a secret disabled, and when the caller's own access
 * changes, in the token's environment only. Never a value. Headers are sent once the subscription is live. The stream ends with
 * PERMISSION_DENIED when the token is revoked, UNAUTHENTICATED token_expired when the token's
 * expiry passes (the injected clock is read when a timer fires and before each event), UNAVAILABLE
 * as soon as notifications are interrupted (re-read, then watch again; a new watch is refused with
 * UNAVAILABLE until they are back), and OK on server shutdown.
 */
export function watchSecretsHandler(rt: GrpcRuntime) {
  const { logger } = rt.deps;
  return (call: Stream) => {
    const started = performance.now();
    let actor = "(none)";
    let environment: string | undefined;
    const fail = async (refusal: Refusal) => {
      await rt.audit.record(call, { actorId: actor, action: WATCH_ACTION, target: "watch", result: "refused", reason: refusal.reason, environment });
      logger.info({ rpc: "WatchSecrets", peer: call.getPeer(), actor, code: status[refusal.code], reason: refusal.reason }, "grpc call");
      call.emit("error", grpcError(refusal.code, refusal.reason, refusal.message));
    };
    const run = async () => {
      const hub = rt.hub;
      if (!hub) {
        return fail({ code: status.UNIMPLEMENTED, reason: "internal", message: "this server was started without change notifications; WatchSecrets is not available" });
      }
      if (hub.state !== "live") return fail(interrupted());
      const caller = await authorizeCaller(rt, call);
      actor = caller.actorId;
      if (caller.kind === "refused") return fail(caller);
      environment = caller.token.environment;
      const names = call.request.names;
      const shape = batchProblem(names, "names");
      if (shape) return fail({ code: status.INVALID_ARGUMENT, reason: "invalid_argument", message: shape });
      const bad = names.findIndex((n) => secretNameProblem(n) !== undefined);
      if (bad >= 0) return fail({ code: status.INVALID_ARGUMENT, reason: "invalid_name", message: `names[${bad}]: ${secretNameProblem(names[bad]!)}` });
      if (call.cancelled) return;

      const serviceName = caller.token.service_name;
      // Only changes in the token's environment reach the stream.
      const environmentId = caller.token.environment_id;
      const watched = names.length > 0 ? new Set(names) : undefined;
      const isGranted = async (secretName: string) => {
        const cached = rt.cache?.grants.get(grantKey(environmentId, serviceName, secretName));
        return cached ? cached.kind === "ok" && cached.request.status === "granted" : (await getAccessStatus(rt.deps.db, { environmentId, secretName, serviceName })) === "granted";
      };
      // The caller's token as last read: an admin may change its expiry while the stream is open.
      let token: BoundServiceToken = caller.token;
      const expired = () => isServiceTokenExpired(token, rt.deps.clock.now());
      const toMessage = async (event: ChangeEvent): Promise<WatchSecretsResponse | "revoked" | "expired" | undefined> => {
        if (expired()) return "expired";
        switch (event.kind) {
          case "secret":
            if (event.environmentId !== environmentId || event.status === "stub" || (watched && !watched.has(event.name)) || !(await isGranted(event.name))) return undefined;
            return { name: event.name, version: event.version, kind: event.status === "disabled" ? ChangeKind.CHANGE_KIND_DISABLED : ChangeKind.CHANGE_KIND_VALUE_SET };
          case "access": {
            if (event.environmentId !== environmentId || event.serviceName !== serviceName || (watched && !watched.has(event.secretName))) return undefined;
            const secret = await getSecretByName(rt.deps.db, { environmentId, name: event.secretName });
            return { name: event.secretName, version: secret?.current_version ?? 0, kind: ChangeKind.CHANGE_KIND_ACCESS_CHANGED };
          }
          case "token": {
            if (event.id !== token.id) return undefined;
            if (event.status !== "approved") return "revoked";
            // Still approved: the expiry may have changed (the notification fires for that too).
            const fresh = await getServiceTokenByHash(rt.deps.db, token.token_hash);
            if (!fresh || fresh.id !== token.id || fresh.status !== "approved") return "revoked";
            token = fresh;
            armExpiry();
            return expired() ? "expired" : undefined;
          }
          case "change_request":
            // Only its application changes what a service reads, and that announces the row it changed.
            return undefined;
          case "admin_key":
          case "environment":
            return undefined;
          default:
            return assertNever(event, "change event");
        }
      };

      // Events are handled one after another so the stream keeps their order.
      let queue = Promise.resolve();
      let ended = false;
      let expiryTimer: ReturnType<typeof setTimeout> | undefined;
      const endRefused = (r: Refusal) => end(grpcError(r.code, r.reason, r.message));
      // Ends the stream when the token's expiry passes, with the status a new call would get.
      function armExpiry() {
        clearTimeout(expiryTimer);
        expiryTimer = undefined;
        const at = serviceTokenExpiresAt(token);
        if (at === undefined || ended) return;
        const left = at - rt.deps.clock.now().getTime();
        if (left <= 0) return endRefused(tokenExpired());
        expiryTimer = setTimeout(armExpiry, Math.min(left, MAX_TIMER_MS));
      }
      const end = (error?: Partial<ServiceError>) => {
        if (ended) return;
        ended = true;
        clearTimeout(expiryTimer);
        remove();
        rt.watchers.delete(stop);
        const reason = error?.metadata?.get(REASON_TRAILER)[0];
        logger.info({ rpc: "WatchSecrets", peer: call.getPeer(), actor, code: error ? status[error.code!] : "OK", ...(reason ? { reason } : {}), ms: Math.round(performance.now() - started) }, "grpc call");
        if (call.cancelled) return;
        if (error) call.emit("error", error);
        else call.end();
      };
      const remove = hub.add({
        onChange: (event) => {
          queue = queue.then(async () => {
            if (ended) return;
            const message = await toMessage(event);
            if (message === "revoked") return endRefused(tokenRevoked());
            if (message === "expired") return endRefused(tokenExpired());
            if (!message || ended || call.cancelled) return;
            // The grant lookup above awaited: the expiry may have passed meanwhile.
            if (expired()) return endRefused(tokenExpired());
            call.write(message);
          }).catch((error: unknown) => {
            logger.error({ rpc: "WatchSecrets", err: error instanceof Error ? error.message : String(error) }, "watch event failed");
            end(grpcError(status.INTERNAL, "internal", "internal error"));
          });
        },
        onState: () => endRefused(interrupted()),
      });
      const stop = () => end();
      call.on("cancelled", stop);
      rt.watchers.add(stop);
      // The feed may have been lost while the caller was being authorized.
      if (hub.state !== "live") endRefused(interrupted());
      armExpiry();
      await rt.audit.record(call, { actorId: actor, action: WATCH_ACTION, target: names.length > 0 ? `secrets:${names.length}` : "secrets:granted", result: "ok", environment });
      // Headers tell the client the subscription is live: changes from now on will be streamed.
      if (!ended && !call.cancelled) call.sendMetadata(new Metadata());
    };
    run().catch((error: unknown) => {
      logger.error({ rpc: "WatchSecrets", err: error instanceof Error ? error.message : String(error) }, "grpc call failed");
      call.emit("error", grpcError(status.INTERNAL, "internal", "internal error"));
    });
  };
}
