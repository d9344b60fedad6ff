export * from "./keyward-error.js";
export * from "./result.js";
