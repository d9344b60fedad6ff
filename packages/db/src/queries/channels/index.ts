export * from "./create.js";
export * from "./deliveries.js";
export * from "./subscribe.js";
