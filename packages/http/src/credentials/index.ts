export * from "./health.js";
export * from "./run-check.js";
export * from "./tester.js";
