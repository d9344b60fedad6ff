import type { AccessRequest as AccessRow, Secret as SecretRow, ServiceToken as TokenRow } from "@keyward/db";
import type { AccessRequest, Secret, ServiceToken } from "@keyward/spec";

// Rows become the spec's shapes here and only here; values and hashes never leave.
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const toSecret = (r: SecretRow): Secret => ({
  id: r.id,
  name: r.name,
  description: r.description,
  type: r.type,
  status: r.status,
  currentVersion: r.current_version,
  rotationDays: r.rotation_days,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

export const toServiceToken = (r: Omit<TokenRow, "token_hash">): ServiceToken => ({
  id: r.id,
  serviceName: r.service_name,
  serviceVersion: r.service_version,
  status: r.status,
  requestedAt: iso(r.requested_at)!,
  approvedAt: iso(r.approved_at),
  approvedBy: r.approved_by,
  lastUsedAt: iso(r.last_used_at),
  accessCount: Number(r.access_count),
});

export const toAccessRequest = (r: AccessRow): AccessRequest => ({
  id: r.id,
  secretName: r.secret_name,
  serviceName: r.service_name,
  status: r.status,
  requestedAt: iso(r.requested_at)!,
  decidedAt: iso(r.decided_at),
  decidedBy: r.decided_by,
  accessCount: Number(r.access_count),
});
