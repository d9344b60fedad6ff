export * from "./decide.js";
export * from "./expiry.js";
export * from "./get-by-hash.js";
export * from "./get-by-id.js";
export * from "./list.js";
export * from "./record-use.js";
export * from "./register.js";
