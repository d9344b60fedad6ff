import type { Database } from "../../schema.js";

export type TableName = keyof Database;

/** Whether a backup carries a table, and why not when it does not. Every table must be decided (the Record type checks it). */
export type TableDecision = { backup: true } | { backup: false; why: string };

export const TABLE_DECISIONS: Record<TableName, TableDecision> = {
  environments: { backup: true },
  secret_definitions: { backup: true },
  encryption_keys: { backup: true },
  master_key_settings: { backup: true },
  admin_api_keys: { backup: true },
  secrets: { backup: true },
  secret_versions: { backup: true },
  signing_keys: { backup: true },
  credential_checks: { backup: true },
  service_tokens: { backup: true },
  access_requests: { backup: true },
  change_requests: { backup: true },
  approval_rules: { backup: true },
  channels: { backup: true },
  subscriptions: { backup: true },
  secret_description_mismatches: { backup: true },
  notification_cooldowns: { backup: true },
  audit_log: { backup: true },
  // Restored by insertArchivedAuditPartitions: the archived entries only (the target has its own hot partitions).
  audit_partitions: { backup: true },
  jobs: { backup: false, why: "schedule state and leases of the source's schedulers; a restored service schedules its jobs afresh at start" },
  outbox: { backup: false, why: "notifications already sent or on their way from the source; a restore (or a restore drill) must not send them again" },
  deliveries: { backup: false, why: "the delivery record of the outbox events, left out with them" },
};

/** The tables a backup carries, in an order that loads them without breaking a foreign key. */
export const BACKUP_TABLES: readonly TableName[] = (Object.keys(TABLE_DECISIONS) as TableName[]).filter((t) => TABLE_DECISIONS[t].backup);

/** Every table Keyward owns (an empty target has no rows in any, except the environments a fresh migration creates). */
export const ALL_TABLES: readonly TableName[] = Object.keys(TABLE_DECISIONS) as TableName[];
