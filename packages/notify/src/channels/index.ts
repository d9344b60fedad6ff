export * from "./configure.js";
export * from "./deliver.js";
export * from "./email.js";
export * from "./message.js";
export * from "./send-error.js";
export * from "./slack.js";
export * from "./webhook.js";
export * from "./send-test.js";
