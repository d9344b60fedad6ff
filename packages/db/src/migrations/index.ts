import type { Migration, MigrationProvider } from "kysely/migration";
import { initial } from "./0001-initial.js";
import { adminKeys } from "./0002-admin-keys.js";
import { changeNotifications } from "./0003-change-notifications.js";
import { encryptionKeys } from "./0004-encryption-keys.js";
import { grpcDescriptionMismatches } from "./0200-grpc-description-mismatches.js";
import { auditAppendFunction } from "./0300-audit-append-function.js";
import { valueBinding } from "./0301-value-binding.js";
import { serviceIdentity } from "./0302-service-identity.js";
import { environments } from "./0400-environments.js";
import { adminKeyScopes } from "./0401-admin-key-scopes.js";
import { changeRequests } from "./0402-change-requests.js";
import { jobs } from "./0500-jobs.js";
import { outbox } from "./0501-outbox.js";
import { channels } from "./0502-channels.js";
import { notificationCooldowns } from "./0503-notification-cooldowns.js";
import { deliveryMerges } from "./0504-delivery-merges.js";
import { changeRequestKinds } from "./0510-change-request-kinds.js";
import { approvalRules } from "./0511-approval-rules.js";
import { changeRequestEvents } from "./0520-change-request-events.js";
import { secretPolicy } from "./0521-secret-policy.js";
import { signingKeys } from "./0530-signing-keys.js";
import { secretValueRules } from "./0540-secret-value-rules.js";
import { credentialChecks } from "./0550-credential-checks.js";
import { scaleIndexes } from "./0560-scale-indexes.js";
import { auditPartitions } from "./0570-audit-partitions.js";
import { adminChangeEvents } from "./0580-admin-change-events.js";
import { definitionSearchIndex } from "./0590-definition-search-index.js";
import { auditAppendJson } from "./0600-audit-append-json.js";
import { currentVersionColumns } from "./0610-current-version-columns.js";
import { metadataVersion } from "./0620-metadata-version.js";
import { metadataRecheck } from "./0630-metadata-recheck.js";

/** Migrations ship inside the bundle, so no files are read at run time. */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-admin-keys": adminKeys,
  "0003-change-notifications": changeNotifications,
  "0004-encryption-keys": encryptionKeys,
  "0200-grpc-description-mismatches": grpcDescriptionMismatches,
  "0300-audit-append-function": auditAppendFunction,
  "0301-value-binding": valueBinding,
  "0302-service-identity": serviceIdentity,
  "0400-environments": environments,
  "0401-admin-key-scopes": adminKeyScopes,
  "0402-change-requests": changeRequests,
  "0500-jobs": jobs,
  "0501-outbox": outbox,
  "0502-channels": channels,
  "0503-notification-cooldowns": notificationCooldowns,
  "0504-delivery-merges": deliveryMerges,
  "0510-change-request-kinds": changeRequestKinds,
  "0511-approval-rules": approvalRules,
  "0520-change-request-events": changeRequestEvents,
  "0521-secret-policy": secretPolicy,
  "0530-signing-keys": signingKeys,
  "0540-secret-value-rules": secretValueRules,
  "0550-credential-checks": credentialChecks,
  "0560-scale-indexes": scaleIndexes,
  "0570-audit-partitions": auditPartitions,
  "0580-admin-change-events": adminChangeEvents,
  "0590-definition-search-index": definitionSearchIndex,
  "0600-audit-append-json": auditAppendJson,
  "0610-current-version-columns": currentVersionColumns,
  "0620-metadata-version": metadataVersion,
  "0630-metadata-recheck": metadataRecheck,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
