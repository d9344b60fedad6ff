export * from "./combine.js";
export * from "./generate.js";
