export * from "./create.js";
export * from "./delete.js";
export * from "./get-by-name.js";
export * from "./get-default.js";
export * from "./list.js";
export * from "./names.js";
export * from "./rename.js";
