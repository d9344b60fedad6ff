export * from "./append.js";
export * from "./chain.js";
export * from "./list.js";
export * from "./verify.js";
