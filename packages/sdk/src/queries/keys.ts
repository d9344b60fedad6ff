/** Query keys, one tree under "keyward" so a host can invalidate everything at once. */
export const keywardKeys = {
  all: ["keyward"] as const,
  secrets: ["keyward", "secrets"] as const,
  secretsMatrix: ["keyward", "secrets-matrix"] as const,
  signingKeys: ["keyward", "signing-keys"] as const,
  environments: ["keyward", "environments"] as const,
  approvalRules: ["keyward", "approval-rules"] as const,
  missingSecrets: ["keyward", "missing-secrets"] as const,
  serviceTokens: ["keyward", "service-tokens"] as const,
  accessRequests: ["keyward", "access-requests"] as const,
  audit: ["keyward", "audit"] as const,
  adminKeys: ["keyward", "admin-keys"] as const,
  me: ["keyward", "me"] as const,
  authConfig: ["keyward", "auth-config"] as const,
};
