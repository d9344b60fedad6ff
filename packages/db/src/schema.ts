import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** Timestamps are written as Date and read as Date on both pg and PGlite. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type SecretStatus = "stub" | "active" | "disabled";
export type TokenStatus = "pending" | "approved" | "revoked";
export type AccessStatus = "pending" | "granted" | "denied" | "revoked";

export interface SecretsTable {
  id: string;
  name: string;
  description: string;
  type: Generated<string>;
  source: string | null;
  status: SecretStatus;
  rotation_days: Generated<number>;
  current_version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export interface SecretVersionsTable {
  secret_id: string;
  version: number;
  /** nonce ‖ AES-256-GCM ciphertext ‖ tag, under this version's data key. */
  ciphertext: Uint8Array;
  /** The data key, wrapped by the master key `key_id`. */
  wrapped_key: Uint8Array;
  key_id: string;
  created_at: Timestamp;
  created_by: string;
}

export interface ServiceTokensTable {
  id: string;
  service_name: string;
  service_version: string;
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  status: TokenStatus;
  requested_at: Timestamp;
  approved_at: Timestamp | null;
  approved_by: string | null;
  last_used_at: Timestamp | null;
  access_count: Generated<number>;
  expires_at: Timestamp | null;
}

export interface AccessRequestsTable {
  id: string;
  /** A name, not a foreign key: a service may ask for a secret that does not exist yet. */
  secret_name: string;
  service_name: string;
  status: AccessStatus;
  requested_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  access_count: Generated<number>;
  last_accessed_at: Timestamp | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: Timestamp;
  actor_type: string;
  actor_id: string;
  action: string;
  target: string;
  result: string;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  prev_hash: string;
  /** HMAC-SHA256 over prev_hash and this row, under the audit key. */
  hash: string;
}

export type AdminRole = "owner" | "admin" | "operator" | "viewer" | "auditor";

export interface AdminApiKeysTable {
  id: string;
  name: string;
  role: AdminRole;
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  key_hash: string;
  created_at: Timestamp;
  created_by: string;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface Database {
  admin_api_keys: AdminApiKeysTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  service_tokens: ServiceTokensTable;
  access_requests: AccessRequestsTable;
  audit_log: AuditLogTable;
}

export type Secret = Selectable<SecretsTable>;
export type SecretVersion = Selectable<SecretVersionsTable>;
export type ServiceToken = Selectable<ServiceTokensTable>;
export type AccessRequest = Selectable<AccessRequestsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Omit<Insertable<AuditLogTable>, "seq" | "prev_hash" | "hash">;
export type AdminApiKey = Selectable<AdminApiKeysTable>;
