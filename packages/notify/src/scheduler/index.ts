export * from "./schedule.js";
export * from "./scheduler.js";
