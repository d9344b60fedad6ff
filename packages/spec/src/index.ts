import type { components, operations, paths } from "./generated/types.js";

export { openapiDocument } from "./generated/openapi.js";
export type { components, operations, paths };

type Schemas = components["schemas"];
export type Secret = Schemas["Secret"];
export type SecretList = Schemas["SecretList"];
export type SecretStatus = Schemas["SecretStatus"];
export type SetValueRequest = Schemas["SetValueRequest"];
export type SetValueResponse = Schemas["SetValueResponse"];
export type ServiceToken = Schemas["ServiceToken"];
export type ServiceTokenList = Schemas["ServiceTokenList"];
export type TokenStatus = Schemas["TokenStatus"];
export type AccessRequest = Schemas["AccessRequest"];
export type AccessRequestList = Schemas["AccessRequestList"];
export type AccessStatus = Schemas["AccessStatus"];
export type Problem = Schemas["Problem"];
