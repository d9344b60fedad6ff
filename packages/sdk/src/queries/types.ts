import type { paths } from "@keyward/spec";

// Request shapes, taken from the spec's generated `paths` (never written by hand).
export type SecretListQuery = NonNullable<paths["/api/secrets"]["get"]["parameters"]["query"]>;
export type CreateSecretBody = paths["/api/secrets"]["post"]["requestBody"]["content"]["application/json"];
export type UpdateSecretBody = paths["/api/secrets/{name}"]["patch"]["requestBody"]["content"]["application/json"];
export type SetValueBody = paths["/api/secrets/{name}/value"]["put"]["requestBody"]["content"]["application/json"];
export type RollbackBody = paths["/api/secrets/{name}/rollback"]["post"]["requestBody"]["content"]["application/json"];
export type MissingSecretListQuery = NonNullable<paths["/api/missing-secrets"]["get"]["parameters"]["query"]>;
export type ServiceTokenListQuery = NonNullable<paths["/api/service-tokens"]["get"]["parameters"]["query"]>;
export type ApproveServiceTokenBody = NonNullable<paths["/api/service-tokens/{id}/approve"]["post"]["requestBody"]>["content"]["application/json"];
export type AccessRequestListQuery = NonNullable<paths["/api/access-requests"]["get"]["parameters"]["query"]>;
export type AuditListQuery = NonNullable<paths["/api/audit"]["get"]["parameters"]["query"]>;
export type AuditExportQuery = NonNullable<paths["/api/audit/export"]["get"]["parameters"]["query"]>;
export type AdminKeyListQuery = NonNullable<paths["/api/admin-keys"]["get"]["parameters"]["query"]>;
export type CreateAdminKeyBody = paths["/api/admin-keys"]["post"]["requestBody"]["content"]["application/json"];
export type CreateEnvironmentBody = paths["/api/environments"]["post"]["requestBody"]["content"]["application/json"];
export type UpdateEnvironmentBody = paths["/api/environments/{name}"]["patch"]["requestBody"]["content"]["application/json"];
export type CreateApprovalRuleBody = paths["/api/environments/{name}/rules"]["post"]["requestBody"]["content"]["application/json"];
export type SecretsMatrixQuery = NonNullable<paths["/api/secrets/matrix"]["get"]["parameters"]["query"]>;
export type PromoteBody = paths["/api/secrets/{name}/promote"]["post"]["requestBody"]["content"]["application/json"];
export type CreateChannelBody = paths["/api/channels"]["post"]["requestBody"]["content"]["application/json"];
export type UpdateChannelBody = paths["/api/channels/{name}"]["patch"]["requestBody"]["content"]["application/json"];
export type ChannelDeliveriesQuery = NonNullable<paths["/api/channels/{name}/deliveries"]["get"]["parameters"]["query"]>;
export type CreateSubscriptionBody = paths["/api/subscriptions"]["post"]["requestBody"]["content"]["application/json"];
