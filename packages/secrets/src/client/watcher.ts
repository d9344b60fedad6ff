import { status } from "@grpc/grpc-js";
import { ChangeKind, type WatchSecretsResponse } from "@keyward/proto";
import { backoffDelay, type BackoffOptions } from "./backoff.js";
import type { SecretsClientError } from "./errors.js";
import type { Transport } from "./transport.js";

export interface WatcherDeps {
  transport: Transport;
  /** The names to watch; empty watches every granted secret. */
  names: string[];
  /** A secret changed: its value was set, it was disabled, or the caller's access changed. */
  onChange(name: string, kind: ChangeKind): void;
  /** Watching again after a gap: changes in between were missed. */
  onResubscribed(): void;
  /** Watching is over for good (token revoked, or a service without change notifications). */
  onStopped(error: SecretsClientError): void;
  backoff: BackoffOptions;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Answers that watching again cannot change. A pending or expired token (an admin approves it or
 * extends its expiry) or a missing registration can, so those are retried, slowly.
 */
const isFinal = (error: SecretsClientError) =>
  error.grpcCode === status.UNIMPLEMENTED ||
  error.grpcCode === status.INVALID_ARGUMENT ||
  error.reason === "token_revoked" ||
  error.reason === "token_malformed" ||
  error.reason === "token_missing";

/** After a refusal, wait longer than after a dropped connection: it takes an admin to change it. */
const REFUSAL_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };

/**
 * Keeps one WatchSecrets stream open, reconnecting with jittered backoff when it ends (service
 * restart, dropped connection, interrupted notifications) until stop().
 */
export function startWatcher(deps: WatcherDeps): { stop(): void } {
  let stopped = false;
  let retry = 0;
  let subscribedBefore = false;
  let current: { cancel(): void } | undefined;
  const connect = () => {
    if (stopped) return;
    current = deps.transport.watch(deps.names, {
      onLive() {
        retry = 0;
        if (subscribedBefore) deps.onResubscribed();
        subscribedBefore = true;
      },
      onEvent(event: WatchSecretsResponse) {
        deps.onChange(event.name, event.kind);
      },
      onEnd(error) {
        current = undefined;
        if (stopped) return;
        if (error && isFinal(error)) return deps.onStopped(error);
        const inTransit = !error || error.reason === "unavailable" || error.reason === "internal" || error.reason === "deadline_exceeded";
        void deps.sleep(backoffDelay(retry++, inTransit ? deps.backoff : REFUSAL_BACKOFF, deps.random)).then(connect);
      },
    });
  };
  connect();
  return {
    stop() {
      stopped = true;
      current?.cancel();
    },
  };
}
