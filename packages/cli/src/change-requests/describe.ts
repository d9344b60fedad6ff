import type { ChangeRequest, CurrentAdmin } from "@keyward/spec";

/** A change request id as the API takes it (`cr_` and 32 hex digits). */
export const CHANGE_REQUEST_ID = /^cr_[0-9a-f]{32}$/;

/** A payload field as text, or undefined when it is absent or not a string or number. */
function field(request: ChangeRequest, name: string): string | undefined {
  const value = (request.payload as Record<string, unknown>)[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** What a change request's target names, without its "secret:" / "token:" / "access:" prefix. */
function targetName(request: ChangeRequest): string {
  const at = request.target.indexOf(":");
  return at < 0 ? request.target : request.target.slice(at + 1);
}

/** An environment patch in words: "protected off, approvals 1, lifetime 86400 s". */
function patchText(patch: unknown): string {
  if (!patch || typeof patch !== "object") return "settings";
  const p = patch as { protected?: unknown; approvalsRequired?: unknown; changeRequestTtlSeconds?: unknown };
  const parts: string[] = [];
  if (typeof p.protected === "boolean") parts.push(`protected ${p.protected ? "on" : "off"}`);
  if (typeof p.approvalsRequired === "number") parts.push(`approvals ${p.approvalsRequired}`);
  if (typeof p.changeRequestTtlSeconds === "number") parts.push(`request lifetime ${p.changeRequestTtlSeconds} s`);
  return parts.length > 0 ? parts.join(", ") : "settings";
}

/**
 * What a change request changes, in a few words, from its kind, target and payload (which never
 * hold a value): "set value of STRIPE_KEY", "roll back STRIPE_KEY to version 2", "approve token tok_…".
 */
export function changeSummary(request: ChangeRequest): string {
  const name = field(request, "name") ?? targetName(request);
  switch (request.kind) {
    case "secret.set_value": {
      const from = field(request, "promotedFrom");
      return from !== undefined ? `promote ${name} from ${from} (version ${field(request, "fromVersion") ?? "?"})` : `set value of ${name}`;
    }
    case "secret.rollback":
      return `roll back ${name} to version ${field(request, "toVersion") ?? "?"}`;
    case "secret.disable":
      return `disable ${name}`;
    case "secret.delete":
      return `delete ${name}`;
    case "token.approve": {
      const expiresAt = (request.payload as Record<string, unknown>).expiresAt;
      const until = typeof expiresAt === "string" ? `, until ${expiresAt}` : expiresAt === null ? ", no expiry" : "";
      return `approve token ${field(request, "id") ?? targetName(request)}${until}`;
    }
    case "access.grant":
      return `grant access request ${field(request, "id") ?? targetName(request)}`;
    case "environment.update":
      return `change environment ${request.environment}: ${patchText((request.payload as Record<string, unknown>).patch)}`;
    case "environment.unprotect":
      return `unprotect environment ${request.environment}`;
    case "environment.delete":
      return `delete environment ${request.environment}`;
    default:
      return `${String(request.kind)} ${request.target}`;
  }
}

/** The request's own preconditions, when it has one (a check-and-set version). */
export function changeCondition(request: ChangeRequest): string | undefined {
  const expected = field(request, "expectedVersion");
  return expected !== undefined ? `only while the current version is ${expected}` : undefined;
}

/** The actor as the API writes it ("admin:<key id>", "oidc:<subject>"), as a person reads it. */
export function actorOf(me: CurrentAdmin | undefined): string | undefined {
  return me ? `${me.via === "oidc" ? "oidc" : "admin"}:${me.id}` : undefined;
}

/**
 * Who asked for the change: the actor, its owner when it names one, and "(you)" when it is the
 * caller or another key of the caller's owner (the API counts them as one person).
 */
export function requester(request: ChangeRequest, me: CurrentAdmin | undefined): string {
  const mine = request.requestedBy === actorOf(me) || (me?.owner != null && me.owner !== "" && request.requestedByOwner === me.owner);
  const owner = request.requestedByOwner ? ` (owner ${request.requestedByOwner})` : "";
  return `${request.requestedBy}${owner}${mine ? " (you)" : ""}`;
}

/** The status a person should read: a pending request past its expiry is expired (the service marks it on its next look). */
export function shownStatus(request: ChangeRequest, now = Date.now()): ChangeRequest["status"] {
  return request.status === "pending" && Date.parse(request.expiresAt) <= now ? "expired" : request.status;
}

/** How long until `at`, roughly: "in 23 h", "in 12 min", or "passed". */
export function timeLeft(at: string, now = Date.now()): string {
  const ms = Date.parse(at) - now;
  if (!(ms > 0)) return "passed";
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 120) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`;
}
