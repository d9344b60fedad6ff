import type { AccessStatus, ChangeRequestKind, ChangeRequestStatus, SecretStatus, TokenStatus } from "../schema.js";

/** The PostgreSQL channel the change triggers (migration 0003) notify on. */
export const CHANGES_CHANNEL = "keyward_changes";

/**
 * What changed, never a value. A deleted row is announced with its last values; a listener
 * should treat every event as "re-read this", not as the new state. `environment` is the name of
 * the row's environment (migration 0400), `environmentId` its id (what caches key on: a name can
 * change); the name is null when the environment was deleted with the row.
 */
export type ChangeEvent =
  | { kind: "secret"; name: string; version: number; status: SecretStatus; environmentId: string | null; environment: string | null }
  | { kind: "access"; secretName: string; serviceName: string; status: AccessStatus; environmentId: string | null; environment: string | null }
  | { kind: "token"; id: string; status: TokenStatus; environmentId: string | null; environment: string | null }
  | {
      kind: "change_request";
      id: string;
      /** What the request changes (its kind), and where (`secret:NAME`, `token:<id>`, …). */
      change: ChangeRequestKind;
      target: string;
      status: ChangeRequestStatus;
      approvals: number;
      approvalsRequired: number;
      environmentId: string | null;
      environment: string | null;
    }
  /** An admin key was created, revoked, deleted or changed (not its last-used stamp). */
  | { kind: "admin_key"; id: string }
  /** An environment was created, changed (renamed, protected, made the default…) or deleted. */
  | { kind: "environment"; id: string; name: string };

const SECRET_STATUSES: readonly string[] = ["stub", "active", "disabled"] satisfies SecretStatus[];
const ACCESS_STATUSES: readonly string[] = ["pending", "granted", "denied", "revoked"] satisfies AccessStatus[];
const TOKEN_STATUSES: readonly string[] = ["pending", "approved", "revoked"] satisfies TokenStatus[];
const CHANGE_REQUEST_STATUSES: readonly string[] = ["pending", "approved", "rejected", "expired", "applied"] satisfies ChangeRequestStatus[];

const str = (v: unknown): v is string => typeof v === "string";

/** Parses a trigger payload; anything else on the channel (a manual NOTIFY) gives undefined. */
export function parseChangeEvent(payload: string): ChangeEvent | undefined {
  let p: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    p = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const environment = str(p.environment) ? p.environment : null;
  const environmentId = str(p.environmentId) ? p.environmentId : null;
  switch (p.kind) {
    case "secret":
      return str(p.name) && Number.isInteger(p.version) && str(p.status) && SECRET_STATUSES.includes(p.status)
        ? { kind: "secret", name: p.name, version: p.version as number, status: p.status as SecretStatus, environmentId, environment }
        : undefined;
    case "access":
      return str(p.secretName) && str(p.serviceName) && str(p.status) && ACCESS_STATUSES.includes(p.status)
        ? { kind: "access", secretName: p.secretName, serviceName: p.serviceName, status: p.status as AccessStatus, environmentId, environment }
        : undefined;
    case "token":
      return str(p.id) && str(p.status) && TOKEN_STATUSES.includes(p.status) ? { kind: "token", id: p.id, status: p.status as TokenStatus, environmentId, environment } : undefined;
    case "change_request":
      // The kind is not checked against today's list: a newer replica may announce a kind this one
      // does not know yet, and a listener only re-reads.
      return str(p.id) && str(p.change) && str(p.target) && str(p.status) && CHANGE_REQUEST_STATUSES.includes(p.status) && Number.isInteger(p.approvals) && Number.isInteger(p.approvalsRequired)
        ? { kind: "change_request", id: p.id, change: p.change as ChangeRequestKind, target: p.target, status: p.status as ChangeRequestStatus, approvals: p.approvals as number, approvalsRequired: p.approvalsRequired as number, environmentId, environment }
        : undefined;
    case "admin_key":
      return str(p.id) ? { kind: "admin_key", id: p.id } : undefined;
    case "environment":
      return str(p.id) && str(p.name) ? { kind: "environment", id: p.id, name: p.name } : undefined;
    default:
      return undefined;
  }
}
