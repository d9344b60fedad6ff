export * from "./archive-partition.js";
export * from "./run.js";
export * from "./job.js";
