export * from "./errors/index.js";
export * from "./crypto/index.js";
export * from "./config.js";
export * from "./keys.js";
export * from "./logger.js";
export * from "./context.js";
export * from "./names.js";
export * from "./urls.js";
