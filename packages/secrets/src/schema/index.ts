export { combineSchemaGraph, combineSchemas, mergeSchemas, normalizeSecret, type CombineResult, type SchemaSource } from "./combine.js";
export * from "./constants.js";
export * from "./errors.js";
export { walkPackageGraph, type PackageNode } from "./graph.js";
export { loadSchemaFile } from "./load.js";
export { secretsMetaSchema } from "./meta-schema.js";
export { findSchemaIssues, validateSchema } from "./validate.js";
export { findWorkspaceRoot, listWorkspacePackages, parseWorkspaceGlobs, type WorkspacePackage } from "./workspace.js";
export type * from "./types.js";
