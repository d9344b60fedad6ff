export * from "./change-master.js";
export * from "./keyring-envelope.js";
export * from "./master-settings.js";
export * from "./open-keyring.js";
export * from "./retire.js";
export * from "./rewrap.js";
export * from "./rotate.js";
export * from "./status.js";
