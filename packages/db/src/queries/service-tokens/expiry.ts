import type { ServiceToken } from "../../schema.js";

type WithExpiry = Pick<ServiceToken, "expires_at">;

/** When a token stops working (ms since the epoch), or undefined when it never expires. */
export const serviceTokenExpiresAt = (token: WithExpiry): number | undefined => (token.expires_at == null ? undefined : new Date(token.expires_at).getTime());

/** The one expiry rule, for the gRPC server and the admin API alike: expired once `expires_at <= now`. */
export const isServiceTokenExpired = (token: WithExpiry, now: Date): boolean => {
  const at = serviceTokenExpiresAt(token);
  return at !== undefined && at <= now.getTime();
};
