export * from "./begin-check.js";
export * from "./claim-due.js";
export * from "./record-check.js";
export * from "./set-schedule.js";
