export * from "./events.js";
export * from "./subscribe.js";
export type { ListenOptions } from "./listen-postgres.js";
