export * from "./claim.js";
export * from "./ensure.js";
export * from "./finish.js";
export * from "./list.js";
