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
