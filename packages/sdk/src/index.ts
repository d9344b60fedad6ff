import "./styles/index.css";

// Named exports only, so bundlers drop what a host app does not use.
export { AdminApiError } from "./client/admin-api-error.js";
export { createAdminClient, unwrap, type AdminClient, type AdminClientOptions } from "./client/create-admin-client.js";
export { adminClientKey, createKeywardAdmin, useAdminClient, type KeywardAdminOptions } from "./plugin.js";
export { en, type KeywardMessages } from "./i18n/en.js";
export { messagesKey, useMessages } from "./i18n/use-messages.js";
export { checkValue, type ValueSchema } from "./validation/check-value.js";
export * from "./queries/index.js";
export { default as SecretsTable } from "./components/SecretsTable.vue";
export { default as SecretForm } from "./components/SecretForm.vue";
export { default as MissingSecretsTable } from "./components/MissingSecretsTable.vue";
export { default as PendingApprovalsTable } from "./components/PendingApprovalsTable.vue";
export { default as ServiceTokensTable } from "./components/ServiceTokensTable.vue";
export { default as AuditLogTable } from "./components/AuditLogTable.vue";
export { default as AdminKeysTable } from "./components/AdminKeysTable.vue";
export { default as SecretActions } from "./components/SecretActions.vue";
export { default as SecretsMatrix } from "./components/SecretsMatrix.vue";
export { default as EnvironmentsTable } from "./components/EnvironmentsTable.vue";
export { default as ChangeRequestsTable } from "./components/ChangeRequestsTable.vue";
export { default as ApprovalRulesPanel } from "./components/ApprovalRulesPanel.vue";
export { default as KwToasts } from "./components/KwToasts.vue";
// The parts every admin page is built from (styled by @keyward/sdk/style.css, themed by --kw-* tokens).
export { default as KwButton } from "./components/parts/KwButton.vue";
export { default as StatusBadge } from "./components/parts/StatusBadge.vue";
export { default as ConfirmDialog } from "./components/parts/ConfirmDialog.vue";
export { default as ConfirmAction } from "./components/parts/ConfirmAction.vue";
export { default as DataTable } from "./components/parts/DataTable.vue";
export { default as TableHead } from "./components/parts/TableHead.vue";
export { default as Skeleton } from "./components/parts/Skeleton.vue";
export { default as EmptyState } from "./components/parts/EmptyState.vue";
export { default as QueryState } from "./components/parts/QueryState.vue";
export { default as PagerNav } from "./components/parts/PagerNav.vue";
export { createToasts, toastsKey, useToasts, type Toast, type Toasts } from "./feedback/toasts.js";
export { statusTone, statusTones, type StatusKind, type StatusTone } from "./status/tones.js";
