import type { OperationId } from "@keyward/spec";
import type { RouteHandler } from "../context.js";
import { decideAccessRequestRoute } from "./access-requests/decide.js";
import { listAccessRequestsRoute } from "./access-requests/list.js";
import { createAdminKeyRoute } from "./admin-keys/create.js";
import { listAdminKeysRoute } from "./admin-keys/list.js";
import { getCurrentAdminRoute } from "./admin-keys/me.js";
import { revokeAdminKeyRoute } from "./admin-keys/revoke.js";
import { createApprovalRuleRoute, deleteApprovalRuleRoute, listApprovalRulesRoute } from "./approval-rules/index.js";
import { getAuthConfigRoute } from "./auth/config.js";
import { listAuditArchivesRoute } from "./audit/archives.js";
import { exportAuditRoute } from "./audit/export.js";
import { listAuditRoute } from "./audit/list.js";
import { verifyAuditCheckpointRoute, verifyAuditRoute } from "./audit/verify.js";
import { decideChangeRequestRoute } from "./change-requests/decide.js";
import { createChannelRoute } from "./channels/create.js";
import { deleteChannelRoute } from "./channels/delete.js";
import { listChannelDeliveriesRoute } from "./channels/deliveries.js";
import { listChannelsRoute } from "./channels/list.js";
import { testChannelRoute } from "./channels/test.js";
import { updateChannelRoute } from "./channels/update.js";
import { getChangeRequestRoute } from "./change-requests/get.js";
import { listChangeRequestsRoute } from "./change-requests/list.js";
import { createEnvironmentRoute } from "./environments/create.js";
import { deleteEnvironmentRoute } from "./environments/delete.js";
import { listEnvironmentsRoute } from "./environments/list.js";
import { updateEnvironmentRoute } from "./environments/update.js";
import { listJobsRoute } from "./jobs/list.js";
import { listMissingSecretsRoute } from "./missing-secrets/list.js";
import { runPreflightRoute } from "./preflight/run.js";
import { createSigningKeyRoute, listSigningKeysRoute, retireSigningKeyVersionsRoute, rotateSigningKeyRoute } from "./signing-keys/index.js";
import { getHealthRoute } from "./operations/health.js";
import { getMetricsRoute } from "./operations/metrics.js";
import { getReadinessRoute } from "./operations/readiness.js";
import { createSecretRoute } from "./secrets/create.js";
import { deleteSecretRoute } from "./secrets/delete.js";
import { getSecretRoute } from "./secrets/get.js";
import { listSecretsRoute } from "./secrets/list.js";
import { getSecretsMatrixRoute } from "./secrets/matrix.js";
import { listSecretVersionsRoute } from "./secrets/list-versions.js";
import { promoteSecretRoute } from "./secrets/promote.js";
import { listSecretTypesRoute } from "./secret-types/list.js";
import { setSecretVerificationRoute } from "./secrets/set-verification.js";
import { testSecretConnectionRoute } from "./secrets/test-connection.js";
import { rollbackSecretRoute } from "./secrets/rollback.js";
import { setSecretEnabledRoute } from "./secrets/set-enabled.js";
import { setSecretValueRoute } from "./secrets/set-value.js";
import { updateSecretRoute } from "./secrets/update.js";
import { createSubscriptionRoute } from "./subscriptions/create.js";
import { deleteSubscriptionRoute } from "./subscriptions/delete.js";
import { listSubscriptionsRoute } from "./subscriptions/list.js";
import { decideServiceTokenRoute } from "./service-tokens/decide.js";
import { getServiceTokenRoute } from "./service-tokens/get.js";
import { listServiceTokensRoute } from "./service-tokens/list.js";

/** One handler per operationId of the spec; method and path come from the spec itself. */
export const handlers: { [O in OperationId]: RouteHandler<O> } = {
  listSecrets: listSecretsRoute,
  listSecretTypes: listSecretTypesRoute,
  getSecretsMatrix: getSecretsMatrixRoute,
  createSecret: createSecretRoute,
  getSecret: getSecretRoute,
  updateSecret: updateSecretRoute,
  deleteSecret: deleteSecretRoute,
  setSecretValue: setSecretValueRoute,
  disableSecret: setSecretEnabledRoute(false),
  enableSecret: setSecretEnabledRoute(true),
  listSecretVersions: listSecretVersionsRoute,
  listSigningKeys: listSigningKeysRoute,
  createSigningKey: createSigningKeyRoute,
  rotateSigningKey: rotateSigningKeyRoute,
  retireSigningKeyVersions: retireSigningKeyVersionsRoute,
  rollbackSecret: rollbackSecretRoute,
  promoteSecret: promoteSecretRoute,
  testSecretConnection: testSecretConnectionRoute,
  setSecretVerification: setSecretVerificationRoute,
  listMissingSecrets: listMissingSecretsRoute,
  runPreflight: runPreflightRoute,
  listServiceTokens: listServiceTokensRoute,
  getServiceToken: getServiceTokenRoute,
  approveServiceToken: decideServiceTokenRoute("approve"),
  revokeServiceToken: decideServiceTokenRoute("revoke"),
  listAccessRequests: listAccessRequestsRoute,
  approveAccessRequest: decideAccessRequestRoute("grant"),
  denyAccessRequest: decideAccessRequestRoute("deny"),
  revokeAccessRequest: decideAccessRequestRoute("revoke"),
  listChangeRequests: listChangeRequestsRoute,
  getChangeRequest: getChangeRequestRoute,
  approveChangeRequest: decideChangeRequestRoute("approve"),
  rejectChangeRequest: decideChangeRequestRoute("reject"),
  listAudit: listAuditRoute,
  exportAudit: exportAuditRoute,
  listAuditArchives: listAuditArchivesRoute,
  verifyAudit: verifyAuditRoute,
  verifyAuditCheckpoint: verifyAuditCheckpointRoute,
  listEnvironments: listEnvironmentsRoute,
  createEnvironment: createEnvironmentRoute,
  updateEnvironment: updateEnvironmentRoute,
  deleteEnvironment: deleteEnvironmentRoute,
  listChannels: listChannelsRoute,
  createChannel: createChannelRoute,
  updateChannel: updateChannelRoute,
  deleteChannel: deleteChannelRoute,
  testChannel: testChannelRoute,
  listChannelDeliveries: listChannelDeliveriesRoute,
  listSubscriptions: listSubscriptionsRoute,
  createSubscription: createSubscriptionRoute,
  deleteSubscription: deleteSubscriptionRoute,
  listJobs: listJobsRoute,
  listApprovalRules: listApprovalRulesRoute,
  createApprovalRule: createApprovalRuleRoute,
  deleteApprovalRule: deleteApprovalRuleRoute,
  listAdminKeys: listAdminKeysRoute,
  createAdminKey: createAdminKeyRoute,
  revokeAdminKey: revokeAdminKeyRoute,
  getCurrentAdmin: getCurrentAdminRoute,
  getAuthConfig: getAuthConfigRoute,
  getHealth: getHealthRoute,
  getReadiness: getReadinessRoute,
  getMetrics: getMetricsRoute,
};
