export * from "./types.js";
export * from "./local.js";
export * from "./external.js";
export * from "./settings.js";
