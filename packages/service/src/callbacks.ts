import { assertNever, type Logger } from "@keyward/common";
import type { ChangeEvent, ChangeHub } from "@keyward/db";

/**
 * Hooks a scaffolded secrets service uses to tell people that something needs them. They fire
 * from the database's change notifications, so a request made through any replica, the CLI or
 * psql is seen. With several replicas on one PostgreSQL, each replica fires its hooks.
 */
export interface ServiceCallbacks {
  /** A service asked for a secret it has no grant for: someone should approve or deny it. */
  onAccessRequest?(request: { secretName: string; serviceName: string }): void | Promise<void>;
  /** A secret was asked for that had no value: it exists as a stub for an admin to fill. */
  onSecretStub?(secret: { name: string }): void | Promise<void>;
  /** A new service token was registered and waits for approval. */
  onTokenPending?(token: { id: string }): void | Promise<void>;
  /**
   * A change request in a protected environment was opened (status `pending`, 0 approvals),
   * approved by one more person, or decided (`applied`, `rejected`, `expired`): someone may need
   * to approve it, or its requester to know. Names only, never the held value.
   */
  onChangeRequest?(request: ChangeRequestNews): void | Promise<void>;
  /** Every change to secrets, access, tokens and change requests, for hooks the ones above do not cover. Never carries a value. */
  onChange?(event: ServiceChangeEvent): void | Promise<void>;
}

/** The changes hooks hear of: admin keys and environments are announced for the admin API's caches, not as news. */
export type ServiceChangeEvent = Exclude<ChangeEvent, { kind: "admin_key" | "environment" }>;

export type ChangeRequestNews = Omit<Extract<ChangeEvent, { kind: "change_request" }>, "kind" | "environmentId">;

type Hook = () => void | Promise<void>;

function hooksFor(callbacks: ServiceCallbacks, event: ChangeEvent): [string, Hook][] {
  if (event.kind === "admin_key" || event.kind === "environment") return [];
  const hooks: [string, Hook][] = [];
  if (callbacks.onChange) hooks.push(["onChange", () => callbacks.onChange!(event)]);
  switch (event.kind) {
    case "access":
      if (event.status === "pending" && callbacks.onAccessRequest) {
        hooks.push(["onAccessRequest", () => callbacks.onAccessRequest!({ secretName: event.secretName, serviceName: event.serviceName })]);
      }
      break;
    case "secret":
      if (event.status === "stub" && callbacks.onSecretStub) hooks.push(["onSecretStub", () => callbacks.onSecretStub!({ name: event.name })]);
      break;
    case "token":
      if (event.status === "pending" && callbacks.onTokenPending) hooks.push(["onTokenPending", () => callbacks.onTokenPending!({ id: event.id })]);
      break;
    case "change_request":
      if (callbacks.onChangeRequest) {
        const { kind: _kind, environmentId: _id, ...news } = event;
        hooks.push(["onChangeRequest", () => callbacks.onChangeRequest!(news)]);
      }
      break;
    default:
      assertNever(event, "change event");
  }
  return hooks;
}

/**
 * Subscribes the hooks to the process's change feed (the one the servers share). A hook that
 * throws is logged (by name, without its error's details, which could quote anything) and never
 * stops the service or other hooks.
 * `close` waits for hooks still running, so a graceful shutdown lets a notification finish.
 */
export function attachCallbacks(changes: ChangeHub, callbacks: ServiceCallbacks, logger: Logger): { close(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const remove = changes.add({
    onChange: (event) => {
      for (const [name, hook] of hooksFor(callbacks, event)) {
        const done: Promise<void> = Promise.resolve()
          .then(hook)
          .then(
            () => undefined,
            (error: unknown) => logger.error({ hook: name, kind: event.kind, err: error instanceof Error ? error.name : typeof error }, "callback failed"),
          )
          .finally(() => running.delete(done));
        running.add(done);
      }
    },
  });
  return {
    async close() {
      remove();
      await Promise.all([...running]);
    },
  };
}
