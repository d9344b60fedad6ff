export * from "./envelope.js";
export * from "./hmac.js";
export * from "./key-file.js";
export * from "./tokens.js";
export * from "./passphrase.js";
export * from "./signing.js";
export * from "./signing-keys.js";
