import { isServiceTokenExpired, rotationOf, type AccessRequest as AccessRow, type AdminApiKey, type AuditRow, type MissingSecret as MissingRow, type SecretWithRotation, type ServiceTokenMetadata } from "@keyward/db";
import { credentialHealthOf } from "./credentials/health.js";
import type { AccessRequest, AdminKey, AuditEntry, MissingSecret, Secret, ServiceToken } from "@keyward/spec";

// Rows become the spec's shapes here and only here; values and hashes never leave.
// A Date formats as it is: copying it first was a measurable share of a list page (bench/README.md).
const isoNow = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();
const iso = (d: Date | string | null): string | null => (d === null ? null : isoNow(d));

/** A stored JSON object (rules, derived metadata) as the spec's object; absent when none is stored or it does not parse. */
export function storedObject<T>(json: string | null | undefined): T | undefined {
  if (!json) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}

/** `environment` is the name of the environment the row belongs to (the route resolved it); `testable`, whether its type has a connection test. */
export const toSecret = (r: SecretWithRotation, now: Date, environment: string, testable: boolean): Secret => {
  const rotation = rotationOf(r, now);
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    type: r.type as Secret["type"],
    status: r.status,
    currentVersion: r.current_version,
    rotationDays: r.rotation_days,
    reminderDays: r.reminder_days,
    rotation: { state: rotation.state, lastRotatedAt: iso(rotation.lastRotatedAt), dueAt: iso(rotation.dueAt), daysLeft: rotation.daysLeft },
    createdAt: isoNow(r.created_at),
    createdBy: r.created_by,
    updatedAt: isoNow(r.updated_at),
    updatedBy: r.updated_by,
    ...optional("rules", storedObject<Secret["rules"]>(r.rules_json)),
    ...optional("metadata", storedObject<Secret["metadata"]>(r.metadata_json)),
    environment,
    credential: credentialHealthOf(r, now, testable),
  };
};

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** `expired` is computed at `now` (the server's clock) by the rule the gRPC server uses (isServiceTokenExpired). */
export const toServiceToken = (r: ServiceTokenMetadata, now: Date, environment: string): ServiceToken => ({
  id: r.id,
  serviceName: r.service_name,
  serviceVersion: r.service_version,
  status: r.status,
  requestedAt: isoNow(r.requested_at),
  approvedAt: iso(r.approved_at),
  approvedBy: r.approved_by,
  lastUsedAt: iso(r.last_used_at),
  accessCount: Number(r.access_count),
  expiresAt: iso(r.expires_at),
  expired: isServiceTokenExpired(r, now),
  registeredFrom: {
    address: r.peer_address,
    certificate: r.cert_fingerprint === null ? null : { subject: r.cert_subject ?? "", sans: r.cert_sans ?? "", spiffeId: r.cert_spiffe_id, fingerprint: r.cert_fingerprint },
  },
  sameNameApproved: Number(r.same_name_approved),
  environment,
});

export const toAccessRequest = (r: AccessRow, environment: string): AccessRequest => ({
  id: r.id,
  secretName: r.secret_name,
  serviceName: r.service_name,
  status: r.status,
  requestedAt: isoNow(r.requested_at),
  decidedAt: iso(r.decided_at),
  decidedBy: r.decided_by,
  accessCount: Number(r.access_count),
  lastAccessedAt: iso(r.last_accessed_at),
  environment,
});

export const toMissingSecret = (r: MissingRow): MissingSecret => ({
  name: r.name,
  description: r.description,
  requestedAt: isoNow(r.created_at),
  requestedBy: r.created_by,
  services: r.requests.map((q) => ({ serviceName: q.service_name, accessRequestId: q.id, status: q.status, requestedAt: isoNow(q.requested_at) })),
});

export const toAuditEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq),
  at: isoNow(r.at),
  actorType: r.actor_type,
  actorId: r.actor_id,
  action: r.action,
  target: r.target,
  result: r.result,
  reason: r.reason,
  ip: r.ip,
  userAgent: r.user_agent,
  requestId: r.request_id,
  count: r.count,
  prevHash: r.prev_hash,
  hash: r.hash,
  environment: r.environment ?? null,
});

export const toAdminKey = (r: Omit<AdminApiKey, "key_hash">): AdminKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: isoNow(r.created_at),
  createdBy: r.created_by,
  revokedAt: iso(r.revoked_at),
  lastUsedAt: iso(r.last_used_at),
  environments: r.environments ?? null,
  owner: r.owner ?? null,
});
