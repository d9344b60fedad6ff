import type { components, operations, paths } from "./generated/types.js";

export { openapiDocument } from "./generated/openapi.js";
export type { components, operations, paths };

/** Every operationId in the spec. */
export type OperationId = keyof operations;

type Schemas = components["schemas"];
export type AccessRequest = Schemas["AccessRequest"];
export type AccessRequestList = Schemas["AccessRequestList"];
export type AccessStatus = Schemas["AccessStatus"];
export type AdminKey = Schemas["AdminKey"];
export type AdminKeyList = Schemas["AdminKeyList"];
export type AdminRole = Schemas["AdminRole"];
export type ApproveServiceTokenRequest = Schemas["ApproveServiceTokenRequest"];
export type AuditEntry = Schemas["AuditEntry"];
export type AuditList = Schemas["AuditList"];
export type AuditCheckpoint = Schemas["AuditCheckpoint"];
export type AuditVerification = Schemas["AuditVerification"];
export type AuditVerifyRequest = Schemas["AuditVerifyRequest"];
export type AuthConfig = Schemas["AuthConfig"];
export type CreateAdminKeyRequest = Schemas["CreateAdminKeyRequest"];
export type CreatedAdminKey = Schemas["CreatedAdminKey"];
export type CreateSecretRequest = Schemas["CreateSecretRequest"];
export type CurrentAdmin = Schemas["CurrentAdmin"];
export type Health = Schemas["Health"];
export type MissingSecret = Schemas["MissingSecret"];
export type MissingSecretList = Schemas["MissingSecretList"];
export type OidcSignIn = Schemas["OidcSignIn"];
export type Problem = Schemas["Problem"];
export type Readiness = Schemas["Readiness"];
export type RollbackRequest = Schemas["RollbackRequest"];
export type Rotation = Schemas["Rotation"];
export type RotationState = Schemas["RotationState"];
export type Secret = Schemas["Secret"];
export type SecretList = Schemas["SecretList"];
export type SecretStatus = Schemas["SecretStatus"];
export type SecretVersion = Schemas["SecretVersion"];
export type SecretVersionList = Schemas["SecretVersionList"];
export type ServiceToken = Schemas["ServiceToken"];
export type ServiceTokenList = Schemas["ServiceTokenList"];
export type SetValueRequest = Schemas["SetValueRequest"];
export type SetValueResponse = Schemas["SetValueResponse"];
export type TokenStatus = Schemas["TokenStatus"];
export type UpdateSecretRequest = Schemas["UpdateSecretRequest"];
