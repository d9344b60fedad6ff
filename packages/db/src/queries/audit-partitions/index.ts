export * from "./ensure.js";
export * from "./list.js";
export * from "./read-rows.js";
export * from "./drop-archived.js";
