export * from "./auth.js";
export * from "./deps.js";
export * from "./server.js";
export * from "./status.js";
export { getSecretHandler } from "./handlers/get-secret.js";
export { registerTokenHandler } from "./handlers/register-token.js";
