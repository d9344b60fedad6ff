export * from "./backoff.js";
export * from "./dispatcher.js";
