export * from "./auth.js";
export * from "./deps.js";
export * from "./server.js";
export * from "./status.js";
export { resolveGrpcOptions, serverChannelOptions, type ResolvedGrpcOptions } from "./options.js";
export { createRateLimiter, type RateLimiter } from "@keyward/common";
export { MAX_BATCH } from "./handlers/get-secrets.js";
export { SECRETS_SERVICE_NAME } from "./health.js";
export { systemTimers, type Timers } from "./read-fold.js";
