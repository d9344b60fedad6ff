import { useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { AdminKeyListQuery, CreateAdminKeyBody } from "./types.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** Who the current token belongs to and its role (also a cheap sign-in check). */
export function useCurrentAdmin() {
  const client = useAdminClient();
  return useQuery({ queryKey: keywardKeys.me, queryFn: () => unwrap(client.GET("/api/me")) });
}

export function useAdminKeys(query: MaybeRefOrGetter<AdminKeyListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.adminKeys, params],
    queryFn: () => unwrap(client.GET("/api/admin-keys", { params: { query: params.value } })),
  });
}

/** Creates a key; the response carries the new key once, so do not cache it anywhere. */
export function useCreateAdminKey() {
  const client = useAdminClient();
  return useAdminMutation((body: CreateAdminKeyBody) => unwrap(client.POST("/api/admin-keys", { body })), [keywardKeys.adminKeys]);
}

export function useRevokeAdminKey() {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/admin-keys/{id}/revoke", { params: { path: { id } } })), [keywardKeys.adminKeys]);
}
