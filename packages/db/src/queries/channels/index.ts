export * from "./create.js";
export * from "./deliveries.js";
export * from "./rewrap.js";
export * from "./subscribe.js";
