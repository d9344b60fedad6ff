export * from "./count-pending.js";
export * from "./decide.js";
export * from "./ensure.js";
export * from "./get.js";
export * from "./list.js";
export * from "./record-use.js";
export * from "./list-pending-of-service.js";
