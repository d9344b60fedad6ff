export { createSigningKeyRoute } from "./create.js";
export { listSigningKeysRoute } from "./list.js";
export { retireSigningKeyVersionsRoute } from "./retire.js";
export { rotateSigningKeyRoute } from "./rotate.js";
