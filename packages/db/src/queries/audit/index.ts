export * from "./append.js";
export * from "./chain.js";
export * from "./checkpoint.js";
export * from "./export.js";
export * from "./list.js";
export * from "./read-page.js";
export * from "./verify.js";
export * from "./writer.js";
