export * from "./channels/index.js";
export * from "./outbox/index.js";
export * from "./reminders/index.js";
export * from "./scheduler/index.js";
export * from "./service/index.js";
