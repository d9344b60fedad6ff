export * from "./access-requests/index.js";
export * from "./admin-keys/index.js";
export * from "./audit/index.js";
export * from "./keys/index.js";
export * from "./secrets/index.js";
export * from "./service-tokens/index.js";
export * from "./transaction.js";
export * from "./secrets/record-description-mismatch.js";
