export * from "./claim.js";
export * from "./cooldowns.js";
export * from "./record.js";
export * from "./prune.js";
