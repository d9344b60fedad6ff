export * from "./client/index.js";
export * from "./codegen/index.js";
export * from "./schema/index.js";
export * from "./token/service-token.js";
export * from "./providers/index.js";
