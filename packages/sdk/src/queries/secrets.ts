import { useQuery } from "@tanstack/vue-query";
import { useAdminClient } from "../plugin.js";

export const secretsQueryKey = ["keyward", "secrets"] as const;

/** The list of secrets (metadata only; the API never returns values). */
export function useSecrets() {
  const client = useAdminClient();
  return useQuery({ queryKey: secretsQueryKey, queryFn: () => client.listSecrets() });
}
