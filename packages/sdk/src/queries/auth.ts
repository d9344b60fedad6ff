import { useQuery } from "@tanstack/vue-query";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";

/** How the console may sign in (`GET /api/auth/config`, public): `oidc` is the provider to offer, or null. */
export function useAuthConfig() {
  const client = useAdminClient();
  return useQuery({ queryKey: keywardKeys.authConfig, queryFn: () => unwrap(client.GET("/api/auth/config")), staleTime: Infinity });
}

export type { AuthConfig, OidcSignIn } from "@keyward/spec";
