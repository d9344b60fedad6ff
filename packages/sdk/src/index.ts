export { AdminApiError, createAdminClient, type AdminClient, type AdminClientOptions } from "./api-client.js";
export { adminClientKey, createKeywardAdmin, useAdminClient } from "./plugin.js";
export { secretsQueryKey, useSecrets } from "./queries/secrets.js";
export { default as SecretsTable } from "./components/SecretsTable.vue";
