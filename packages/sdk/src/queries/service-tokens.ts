import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { ApproveServiceTokenBody, ServiceTokenListQuery } from "./types.js";
import { envQuery, type EnvironmentScope } from "./environment-scope.js";
import { useAdminMutation } from "./use-admin-mutation.js";

export function useServiceTokens(query: MaybeRefOrGetter<ServiceTokenListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.serviceTokens, params],
    queryFn: () => unwrap(client.GET("/api/service-tokens", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

/**
 * One token's metadata (never the token or its hash); an empty id does not fetch. The key sits under
 * `keywardKeys.serviceTokens`, so approving or revoking refreshes it along with the lists.
 */
export function useServiceToken(id: MaybeRefOrGetter<string>, scope?: EnvironmentScope) {
  const client = useAdminClient();
  const i = computed(() => toValue(id));
  const env = computed(() => envQuery(scope));
  return useQuery({
    queryKey: [...keywardKeys.serviceTokens, "detail", i, env],
    queryFn: () => unwrap(client.GET("/api/service-tokens/{id}", { params: { path: { id: i.value }, query: env.value } })),
    enabled: () => i.value !== "",
  });
}

/**
 * Approves a token: `mutate(id)`, or `mutate({ id, expiresAt })` to approve it until a time (an
 * ISO 8601 string) or, with `null`, without an expiry. Approving an approved token again is how its
 * expiry changes; leaving `expiresAt` out keeps the current one.
 */
export function useApproveServiceToken(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation(
    (vars: string | (ApproveServiceTokenBody & { id: string })) => {
      if (typeof vars === "string") return unwrap(client.POST("/api/service-tokens/{id}/approve", { params: { path: { id: vars }, query: envQuery(scope) } }));
      const { id, ...body } = vars;
      return unwrap(client.POST("/api/service-tokens/{id}/approve", { params: { path: { id }, query: envQuery(scope) }, body }));
    },
    [keywardKeys.serviceTokens],
  );
}

export function useRevokeServiceToken(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/service-tokens/{id}/revoke", { params: { path: { id }, query: envQuery(scope) } })), [keywardKeys.serviceTokens]);
}
