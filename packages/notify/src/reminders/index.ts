export * from "./rotation-reminders.js";
export * from "./retention.js";
