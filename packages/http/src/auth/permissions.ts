import type { AdminRole, OperationId } from "@keyward/spec";

/** Every role, most privileged first. */
export const ROLES = ["owner", "admin", "operator", "viewer", "auditor"] as const satisfies readonly AdminRole[];

const everyone = ROLES;
const readers = ["owner", "admin", "operator", "viewer"] as const;
const managers = ["owner", "admin"] as const;
const rotators = ["owner", "admin", "operator"] as const;
const auditors = ["owner", "admin", "auditor"] as const;
const owners = ["owner"] as const;

/**
 * THE permission matrix: which roles may call each operation of the spec ("public" needs no
 * token). Keyed by operationId, so a new operation does not compile until it is given a row.
 * packages/http/README.md renders this table; a test keeps the two equal.
 */
export const permissions = {
  listSecrets: readers,
  listSecretTypes: readers,
  getSecret: readers,
  getSecretsMatrix: readers,
  listSecretVersions: readers,
  listMissingSecrets: readers,
  runPreflight: readers,
  createSecret: managers,
  updateSecret: managers,
  disableSecret: managers,
  enableSecret: managers,
  deleteSecret: managers,
  setSecretValue: rotators,
  rollbackSecret: rotators,
  promoteSecret: rotators,
  // A connection test sends the value to its target: for the roles that may set values (issue #17).
  testSecretConnection: rotators,
  setSecretVerification: rotators,
  // Signing keys: created by those who create secrets, rotated by those who rotate values.
  listSigningKeys: readers,
  createSigningKey: managers,
  rotateSigningKey: rotators,
  retireSigningKeyVersions: managers,
  listServiceTokens: readers,
  getServiceToken: readers,
  approveServiceToken: managers,
  revokeServiceToken: managers,
  listAccessRequests: readers,
  approveAccessRequest: managers,
  denyAccessRequest: managers,
  revokeAccessRequest: managers,
  // Channels, their history and the jobs are instance-wide settings, for those who run the instance
  // (the auditor reads the audit log only, seed 000; channel changes are in it).
  listChannels: managers,
  createChannel: managers,
  updateChannel: managers,
  deleteChannel: managers,
  testChannel: managers,
  listChannelDeliveries: managers,
  listSubscriptions: managers,
  createSubscription: managers,
  deleteSubscription: managers,
  listJobs: managers,
  listAudit: auditors,
  exportAudit: auditors,
  // Where the rows older than the hot window went: for those who may read the rows themselves.
  listAuditArchives: auditors,
  verifyAudit: auditors,
  verifyAuditCheckpoint: auditors,
  listChangeRequests: readers,
  getChangeRequest: readers,
  approveChangeRequest: managers,
  rejectChangeRequest: managers,
  listEnvironments: everyone,
  createEnvironment: managers,
  updateEnvironment: managers,
  deleteEnvironment: managers,
  listApprovalRules: readers,
  createApprovalRule: managers,
  deleteApprovalRule: managers,
  listAdminKeys: managers,
  createAdminKey: owners,
  revokeAdminKey: owners,
  getCurrentAdmin: everyone,
  getAuthConfig: "public",
  getHealth: "public",
  getReadiness: "public",
  getMetrics: "public",
} as const satisfies Record<OperationId, readonly AdminRole[] | "public">;

export function isAllowed(operationId: OperationId, role: AdminRole): boolean {
  const allowed: readonly AdminRole[] | "public" = permissions[operationId];
  return allowed === "public" || allowed.includes(role);
}

/** The matrix as a Markdown table (operation × role), as shown in the README. */
export function permissionsMarkdown(rows: { operationId: OperationId; method: string; path: string }[]): string {
  const head = `| operation | route | ${ROLES.join(" | ")} |\n| --- | --- | ${ROLES.map(() => ":-:").join(" | ")} |`;
  const body = rows.map(({ operationId, method, path }) => {
    const allowed: readonly AdminRole[] | "public" = permissions[operationId];
    const cells = ROLES.map((r) => (allowed === "public" ? "public" : allowed.includes(r) ? "✓" : "—"));
    return `| \`${operationId}\` | \`${method} ${path}\` | ${cells.join(" | ")} |`;
  });
  return [head, ...body].join("\n");
}
