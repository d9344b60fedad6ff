import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { AccessRequestListQuery } from "./types.js";
import { envQuery, type EnvironmentScope } from "./environment-scope.js";
import { useAdminMutation } from "./use-admin-mutation.js";

export function useAccessRequests(query: MaybeRefOrGetter<AccessRequestListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.accessRequests, params],
    queryFn: () => unwrap(client.GET("/api/access-requests", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

// A decision changes the request and the "services that asked" shown beside each stub.
const decided = [keywardKeys.accessRequests, keywardKeys.missingSecrets];

export function useApproveAccessRequest(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/access-requests/{id}/approve", { params: { path: { id }, query: envQuery(scope) } })), decided);
}

export function useDenyAccessRequest(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/access-requests/{id}/deny", { params: { path: { id }, query: envQuery(scope) } })), decided);
}

export function useRevokeAccessRequest(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/access-requests/{id}/revoke", { params: { path: { id }, query: envQuery(scope) } })), decided);
}
