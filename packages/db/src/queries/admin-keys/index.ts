export * from "./count.js";
export * from "./create.js";
export * from "./get-by-hash.js";
