export { createValueCheck } from "./value-check.js";
export { invalidValue, precheckValue } from "./precheck.js";
export * from "./known-type.js";
