export * from "./rotation-reminders.js";
