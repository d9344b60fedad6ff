export * from "./events.js";
export * from "./subscribe.js";
export { DEFAULT_HEARTBEAT_MS, type ListenOptions } from "./listen-postgres.js";
export * from "./hub.js";
