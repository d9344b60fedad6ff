export { AdminApiError } from "./admin-api-error.js";
export { createAdminClient, unwrap, type AdminClient, type AdminClientOptions } from "./create-admin-client.js";
export { unwrapChange, type ChangeOutcome } from "./unwrap-change.js";
