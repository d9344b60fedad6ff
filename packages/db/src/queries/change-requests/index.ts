export * from "./apply.js";
export * from "./approve.js";
export * from "./create.js";
export * from "./expire.js";
export * from "./get.js";
export * from "./list.js";
export * from "./public.js";
export * from "./reject.js";
