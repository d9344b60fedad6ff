export * from "./schema.js";
export * from "./connect.js";
export { executePrepared, isPreparedStatementError, PREPARED } from "./prepared.js";
export { migrateToLatest } from "./migrate.js";
export * from "./migrations/index.js";
export * from "./queries/index.js";
export * from "./changes/index.js";
