export * from "./claim.js";
export * from "./record.js";
