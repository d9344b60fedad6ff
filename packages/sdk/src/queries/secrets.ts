import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "../client/create-admin-client.js";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { CreateSecretBody, RollbackBody, SecretListQuery, SetValueBody, UpdateSecretBody } from "./types.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** A page of secrets (metadata and rotation status; the API never returns values). */
export function useSecrets(query: MaybeRefOrGetter<SecretListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.secrets, "list", params],
    queryFn: () => unwrap(client.GET("/api/secrets", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

/** One secret's metadata. */
export function useSecret(name: MaybeRefOrGetter<string>) {
  const client = useAdminClient();
  const n = computed(() => toValue(name));
  return useQuery({
    queryKey: [...keywardKeys.secrets, "detail", n],
    queryFn: () => unwrap(client.GET("/api/secrets/{name}", { params: { path: { name: n.value } } })),
    enabled: () => n.value !== "",
  });
}

/** The kept versions of a secret (metadata only). */
export function useSecretVersions(name: MaybeRefOrGetter<string>) {
  const client = useAdminClient();
  const n = computed(() => toValue(name));
  return useQuery({
    queryKey: [...keywardKeys.secrets, "versions", n],
    queryFn: () => unwrap(client.GET("/api/secrets/{name}/versions", { params: { path: { name: n.value } } })),
    enabled: () => n.value !== "",
  });
}

// A value or a new secret changes the stub list too.
const secretGroups = [keywardKeys.secrets, keywardKeys.missingSecrets];

export function useCreateSecret() {
  const client = useAdminClient();
  return useAdminMutation((body: CreateSecretBody) => unwrap(client.POST("/api/secrets", { body })), secretGroups);
}

/** Sets a value (write-only); the response holds only the name and the new version. */
export function useSetSecretValue() {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: SetValueBody & { name: string }) => unwrap(client.PUT("/api/secrets/{name}/value", { params: { path: { name } }, body })), secretGroups);
}

export function useUpdateSecret() {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: UpdateSecretBody & { name: string }) => unwrap(client.PATCH("/api/secrets/{name}", { params: { path: { name } }, body })), [keywardKeys.secrets]);
}

export function useDisableSecret() {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/secrets/{name}/disable", { params: { path: { name } } })), secretGroups);
}

export function useEnableSecret() {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/secrets/{name}/enable", { params: { path: { name } } })), secretGroups);
}

/** Deletes a secret; its grants are revoked, so access requests change too. */
export function useDeleteSecret() {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.DELETE("/api/secrets/{name}", { params: { path: { name } } })), [...secretGroups, keywardKeys.accessRequests]);
}

export function useRollbackSecret() {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: RollbackBody & { name: string }) => unwrap(client.POST("/api/secrets/{name}/rollback", { params: { path: { name } }, body })), [keywardKeys.secrets]);
}
