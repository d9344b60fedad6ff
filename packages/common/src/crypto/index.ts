export * from "./envelope.js";
export * from "./hmac.js";
export * from "./key-file.js";
export * from "./tokens.js";
