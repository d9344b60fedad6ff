export * from "./create-stub.js";
export * from "./get-by-name.js";
export * from "./list.js";
export * from "./list-versions.js";
export * from "./read-value.js";
export * from "./rollback.js";
export * from "./set-value.js";
