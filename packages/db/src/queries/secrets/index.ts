export * from "./create-stub.js";
export * from "./get-by-name.js";
export * from "./list.js";
export * from "./read-value.js";
export * from "./set-value.js";
