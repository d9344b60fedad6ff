export * from "./count.js";
export * from "./create.js";
export * from "./get-by-hash.js";
export * from "./list.js";
export * from "./record-use.js";
export * from "./revoke.js";
export * from "./lock-bootstrap.js";
