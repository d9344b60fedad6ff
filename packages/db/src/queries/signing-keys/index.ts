export * from "./create.js";
export * from "./get.js";
export * from "./list.js";
export * from "./read-material.js";
export * from "./retire.js";
export * from "./rotate.js";
