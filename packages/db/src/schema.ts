import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { SigningAlgorithm } from "@keyward/common";

/** Timestamps are written as Date and read as Date on both pg and PGlite. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type SecretStatus = "stub" | "active" | "disabled";
export type TokenStatus = "pending" | "approved" | "revoked";
export type AccessStatus = "pending" | "granted" | "denied" | "revoked";

/** An environment (issue #13): values, stubs, tokens and grants each belong to exactly one. */
export interface EnvironmentsTable {
  /** env_<32 hex>. */
  id: string;
  /** A lower-case slug, unique. */
  name: string;
  /** Changes in a protected environment need another admin's approval (a later step of #13). */
  protected: Generated<boolean>;
  /** Exactly one: where a client that states no environment, and the admin API by default, go. */
  is_default: Generated<boolean>;
  /** The environment that received the data of a pre-environment database; audit rows with no environment belong to it. */
  legacy: Generated<boolean>;
  position: number;
  created_at: Timestamp;
  created_by: string;
  /** Approvals a change request here needs besides the requester's (migration 0402). */
  approvals_required: Generated<number>;
  /** How long a change request here stays open. */
  change_request_ttl_seconds: Generated<number>;
}

export type ChangeRequestKind =
  | "token.approve"
  | "access.grant"
  | "secret.set_value"
  | "secret.rollback"
  | "secret.disable"
  | "secret.delete"
  | "environment.delete"
  /** Holds an environment patch (turning protection off, fewer approvals, a longer lifetime) in `payload.patch`. */
  | "environment.update"
  /** Older rows only: new ones are `environment.update` with `{ protected: false }`. */
  | "environment.unprotect";
export type ChangeRequestStatus = "pending" | "approved" | "rejected" | "expired" | "applied";
/** One approval: who (actor id), the person owning the key (if known), when (ISO). */
export interface ChangeRequestApproval {
  actor: string;
  owner: string | null;
  at: string;
}

/** A change waiting for approval in a protected environment (issue #13, migration 0402). */
export interface ChangeRequestsTable {
  /** cr_<32 hex>. */
  id: string;
  environment_id: string;
  kind: ChangeRequestKind;
  /** What it changes, e.g. `secret:NAME`, `token:<id>`, `access:<id>`. */
  target: string;
  /** The change's arguments, never a value. */
  payload: ColumnType<Record<string, unknown>, string, string>;
  /** A set-value's value, sealed like a value (AAD bound to the request id); null once decided. */
  ciphertext: Uint8Array | null;
  wrapped_key: Uint8Array | null;
  key_id: string | null;
  requested_by: string;
  requested_by_owner: string | null;
  status: Generated<ChangeRequestStatus>;
  approvals_required: number;
  approvals: ColumnType<ChangeRequestApproval[], string | undefined, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export type ApprovalRuleKind = "token.approve" | "access.grant" | "token.reject" | "access.reject";

/** A rule that decides new tokens or access requests of one environment on its own (issue #13, migration 0511). */
export interface ApprovalRulesTable {
  /** rule_<32 hex>. */
  id: string;
  environment_id: string;
  kind: ApprovalRuleKind;
  /** A glob over service names (`*`, `?`). */
  service_pattern: string;
  /** A glob over secret names (access kinds only); null = any secret. */
  secret_pattern: string | null;
  created_by: string;
  created_at: Timestamp;
}

/** What every environment shares about a secret; its per-environment state is in `secrets`. */
export interface SecretDefinitionsTable {
  name: string;
  description: Generated<string>;
  type: Generated<string>;
  rotation_days: Generated<number>;
  /** Reminders start this many days before the rotation is due (migration 0521). */
  reminder_days: Generated<number>;
  /** The value rules the app's schema declares (pattern, format, minLength, maxLength, enum) as JSON; null: none (migration 0540). */
  rules_json: string | null;
  source: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

/** One secret in one environment: its status and current version (versions hang off its id). */
export interface SecretsTable {
  id: string;
  /** References secret_definitions.name; unique with environment_id. */
  name: string;
  environment_id: string;
  status: SecretStatus;
  current_version: Generated<number>;
  /** When the current version was written: its created_at, kept here by every write (migration 0610); null with no value. */
  last_rotated_at: Timestamp | null;
  /** The current version's derived metadata as JSON (issue #17), kept here likewise; null when it has none. */
  metadata_json: string | null;
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
  /** Which AAD the ciphertext is bound with: 2 = (row, name, version); 1 = (row, version), before issue #12. */
  aad_version: Generated<number>;
  /** Non-secret facts the type's validator derived from the value, as JSON; null when none were derived (migration 0540). */
  metadata_json: string | null;
  /**
   * 2: metadata_json was derived by the current validators (which keep no part of the value in it);
   * 1: not yet, re-derived at the next start by cleanStoredMetadata (migration 0620). Defaults to 1.
   */
  metadata_version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
}

/** Marks a `secrets` row as a named signing key (issue #16, migration 0530): its versions are key material. */
export interface SigningKeysTable {
  secret_id: string;
  algorithm: SigningAlgorithm;
  /** Versions below this are retired: they no longer verify. */
  min_version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
}

export interface ServiceTokensTable {
  id: string;
  /** The environment the token is bound to for life. */
  environment_id: string;
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
  /** Where the token was registered from: the peer address without its port, e.g. 10.0.0.7. */
  peer_address: string | null;
  /** Under mutual TLS, the client certificate that registered it: subject, SANs ("DNS:x, URI:spiffe://…"), SPIFFE ID, SHA-256 fingerprint. */
  cert_subject: string | null;
  cert_sans: string | null;
  cert_spiffe_id: string | null;
  cert_fingerprint: string | null;
}

/** Whether a stored credential still works (issue #17): one row per secret (so per environment), once tested or scheduled. */
export interface CredentialChecksTable {
  secret_id: string;
  /** The last finished check: untested until one has run. */
  status: Generated<CredentialCheckStatus>;
  /** The tester's short, secret-free error text, and its code (unauthorized, unreachable, timeout, invalid, unexpected). */
  last_error: string | null;
  last_error_code: string | null;
  checked_at: Timestamp | null;
  /** Who ran the last check: an admin's actor id, or "scheduler". */
  checked_by: string | null;
  last_success_at: Timestamp | null;
  /** Set while a check is in flight (cleared by its outcome): the "verifying" state. */
  verifying_since: Timestamp | null;
  /** Opt-in scheduled re-verification, in hours; null: only on demand. */
  reverify_every_hours: number | null;
  next_check_at: Timestamp | null;
}

export type CredentialCheckStatus = "untested" | "connected" | "error";

export interface AccessRequestsTable {
  id: string;
  /** A name, not a foreign key: a service may ask for a secret that does not exist yet. */
  secret_name: string;
  service_name: string;
  /** A grant is per (secret, service, environment). */
  environment_id: string;
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
  /** How many like events this row stands for (refusals audited in aggregate); null for a single event. */
  count: number | null;
  /** The environment the event happened in (name); null for instance-wide events and rows written before environments (the legacy one). */
  environment: string | null;
  prev_hash: string;
  /** HMAC-SHA256 over prev_hash and this row, under the audit key. */
  hash: string;
}

/** A partition of audit_log (issue #21): its time range and, once its rows left the hot window, where they went. */
export interface AuditPartitionsTable {
  name: string;
  /** Null for the first partition, which holds everything before its end. */
  starts_at: Timestamp | null;
  ends_at: Timestamp;
  state: "hot" | "archived" | "dropped_empty";
  first_seq: number | null;
  last_seq: number | null;
  row_count: number | null;
  /** The chain's head before the first row, and after the last: how the archive links to its neighbours. */
  before_hash: string | null;
  after_hash: string | null;
  archive_name: string | null;
  /** The sink's description ("directory /var/…", "s3://bucket/prefix"); never a credential. */
  archive_sink: string | null;
  archived_at: Timestamp | null;
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
  /** The environment names this key may act in; null = every environment (migration 0401). */
  environments: string[] | null;
  /** The person who owns the key (an id or name), so two keys of one person count as one approver. */
  owner: string | null;
}

/** A service's schema describes a secret differently from the stored description (issue #5). */
export interface SecretDescriptionMismatchesTable {
  secret_name: string;
  service_name: string;
  client_description: string;
  stored_description: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  seen_count: Generated<number>;
}

export type KeyStatus = "active" | "retiring" | "retired";

export interface EncryptionKeysTable {
  /** kek_<fingerprint>; the key_id of the data keys it wraps. */
  id: string;
  version: number;
  /** active: wraps new data keys; retiring: still decrypts until rewrapped; retired: gone. */
  status: KeyStatus;
  /** The KEK wrapped by the master key; null for the master key itself (pre-keyring data) and once retired. */
  wrapped_key: Uint8Array | null;
  /** Fingerprint of the master key that wrapped it. */
  wrapped_by: string;
  created_at: Timestamp;
  created_by: string;
  retired_at: Timestamp | null;
  retired_by: string | null;
}

export interface MasterKeySettingsTable {
  id: number;
  /** The master key's check value (masterKeyFingerprint), to name a wrong key or passphrase. */
  fingerprint: string;
  /** JSON scrypt parameters when the master key comes from a passphrase. */
  kdf: string | null;
  created_at: Timestamp;
}

/** A scheduled job (issue #14): its schedule state and the lease that makes one replica run it at a time. */
export interface JobsTable {
  name: string;
  /** The schedule as written, e.g. "every 60000ms" or "daily 06:00 UTC" (for people; the code holds the real one). */
  schedule: string;
  next_run_at: Timestamp;
  last_started_at: Timestamp | null;
  last_finished_at: Timestamp | null;
  last_status: "ok" | "error" | null;
  /** The error's message only (never a value: jobs throw KeywardError messages or their own text). */
  last_error: string | null;
  run_count: Generated<number>;
  /** The scheduler instance holding the lease, e.g. "<hostname>:<pid>:<random>". */
  lease_owner: string | null;
  /** Database time; past it, any replica may take the job over. */
  leased_until: Timestamp | null;
  /** Moved on by every claim: the fencing token a run's later writes must still match. */
  lease_epoch: Generated<number>;
}

/** What happened, for people to hear about (issue #14). Names and links only, never a value or a token. */
export const EVENT_TYPES = [
  "token.pending",
  "access.requested",
  "secret.stub_created",
  "rotation.due",
  "rotation.overdue",
  "delivery.failing",
  "change_request.created",
  "change_request.applied",
  "change_request.rejected",
  "change_request.expired",
  "key.rotated",
  "audit.verification_failed",
  /** A stored credential stopped working: its check failed after it last passed (or on its first check). */
  "credential.failed",
  /** A message an admin asked for with "send a test"; never routed to subscriptions. */
  "channel.test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event of the transactional outbox, written in the transaction of the change that caused it. */
export interface OutboxTable {
  /** evt_<32 hex>: stable, the idempotency key of every delivery. */
  id: string;
  /** Insertion order (also within one transaction). */
  seq: Generated<number>;
  type: EventType;
  /** The environment's name, where the event belongs to one. */
  environment: string | null;
  /** What it is about, e.g. "billing" (a service) or "billing/STRIPE_KEY" (a service's request). */
  subject: string;
  /** The console page that acts on it, e.g. "/admin/approvals?environment=production". */
  link: string;
  /** More names and counts (never a value). */
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
  status: Generated<"pending" | "dispatched">;
  attempts: Generated<number>;
  /** Null: at once. Set after a failed attempt (backoff). */
  next_attempt_at: Timestamp | null;
  /** A dispatcher's claim (database time); a crashed dispatcher's claim simply runs out. */
  claimed_until: Timestamp | null;
  last_error: string | null;
  dispatched_at: Timestamp | null;
}

export type ChannelKind = "webhook" | "slack" | "email";

/** Where notifications go. Credentials are sealed with the envelope and never leave the notify package in clear. */
export interface ChannelsTable {
  /** chn_<32 hex>. */
  id: string;
  name: string;
  kind: ChannelKind;
  /** Settings that are not secret: a webhook's URL, SMTP host/port/from/to/user. */
  config: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The credentials (JSON) sealed like a value: AAD binds them to this channel's id and `credentials_version`. */
  credentials_ciphertext: Uint8Array;
  credentials_wrapped_key: Uint8Array;
  credentials_key_id: string;
  credentials_version: Generated<number>;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  created_by: string;
}

/** Routes events to a channel: by type and environment (an empty list matches all). */
export interface SubscriptionsTable {
  id: string;
  channel_id: string;
  event_types: ColumnType<string[], string[] | undefined, string[]>;
  environments: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  created_by: string;
}

export type DeliveryStatus = "pending" | "delivered" | "dead";

/** One event to one channel: its attempts, status and last error (text without secrets). */
export interface DeliveriesTable {
  /** dlv_<32 hex>. */
  id: string;
  seq: Generated<number>;
  event_id: string;
  channel_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  claimed_until: Timestamp | null;
  last_error: string | null;
  last_status_code: number | null;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
  /** Identical events (type, environment, subject) that joined this delivery before it was sent: one message with a count. */
  merged_event_ids: ColumnType<string[], string[] | undefined, string[]>;
}

/** When a reminder of `kind` about `subject` (e.g. "production/STRIPE_KEY") was last sent. */
export interface NotificationCooldownsTable {
  kind: string;
  subject: string;
  last_sent_at: Timestamp;
}

export interface Database {
  environments: EnvironmentsTable;
  change_requests: ChangeRequestsTable;
  approval_rules: ApprovalRulesTable;
  secret_definitions: SecretDefinitionsTable;
  encryption_keys: EncryptionKeysTable;
  master_key_settings: MasterKeySettingsTable;
  admin_api_keys: AdminApiKeysTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  signing_keys: SigningKeysTable;
  service_tokens: ServiceTokensTable;
  access_requests: AccessRequestsTable;
  audit_log: AuditLogTable;
  audit_partitions: AuditPartitionsTable;
  secret_description_mismatches: SecretDescriptionMismatchesTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  channels: ChannelsTable;
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  notification_cooldowns: NotificationCooldownsTable;
  credential_checks: CredentialChecksTable;
}

export type Environment = Selectable<EnvironmentsTable>;
export type SecretDefinition = Selectable<SecretDefinitionsTable>;
/** A secret row joined to its definition: what the queries return. */
export type Secret = Selectable<SecretsTable> & Pick<SecretDefinition, "description" | "type" | "rotation_days" | "reminder_days" | "source" | "rules_json">;
export type SecretRow = Selectable<SecretsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type SecretVersion = Selectable<SecretVersionsTable>;
export type ServiceToken = Selectable<ServiceTokensTable>;
export type AccessRequest = Selectable<AccessRequestsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Omit<Insertable<AuditLogTable>, "seq" | "prev_hash" | "hash">;
export type AdminApiKey = Selectable<AdminApiKeysTable>;
export type DescriptionMismatch = Selectable<SecretDescriptionMismatchesTable>;
export type EncryptionKey = Selectable<EncryptionKeysTable>;
export type MasterKeySettings = Selectable<MasterKeySettingsTable>;
export type Job = Selectable<JobsTable>;
export type OutboxEvent = Selectable<OutboxTable>;
export type Channel = Selectable<ChannelsTable>;
export type ChangeRequestRow = Selectable<ChangeRequestsTable>;
export type ApprovalRule = Selectable<ApprovalRulesTable>;
export type CredentialCheck = Selectable<CredentialChecksTable>;
export type Subscription = Selectable<SubscriptionsTable>;
export type Delivery = Selectable<DeliveriesTable>;
