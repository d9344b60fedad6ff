import type { Environment } from "@keyward/spec";
import { unwrapOrHeld } from "./change-requests.js";
import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { CreateEnvironmentBody, PromoteBody, SecretsMatrixQuery, UpdateEnvironmentBody } from "./types.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** Every environment with what it holds (counts, never values). */
export function useEnvironments() {
  const client = useAdminClient();
  return useQuery({ queryKey: [...keywardKeys.environments, "list"], queryFn: () => unwrap(client.GET("/api/environments")) });
}

export function useCreateEnvironment() {
  const client = useAdminClient();
  return useAdminMutation((body: CreateEnvironmentBody) => unwrap(client.POST("/api/environments", { body })), [keywardKeys.environments, keywardKeys.secretsMatrix]);
}

/** Rename, protect, or make default: a new default changes what every environment-less query shows. */
export function useUpdateEnvironment() {
  const client = useAdminClient();
  // Turning protection off a protected environment is a change request (202): thrown as ChangeRequestPendingError.
  return useAdminMutation(
    ({ name, ...body }: UpdateEnvironmentBody & { name: string }) => unwrapOrHeld<Environment>(client.PATCH("/api/environments/{name}", { params: { path: { name } }, body })),
    [keywardKeys.all],
  );
}

/** Renames an environment (useUpdateEnvironment's `name` is the path, so it cannot carry the new one). */
export function useRenameEnvironment() {
  const client = useAdminClient();
  return useAdminMutation(({ name, to }: { name: string; to: string }) => unwrap(client.PATCH("/api/environments/{name}", { params: { path: { name } }, body: { name: to } })), [keywardKeys.all]);
}

/**
 * Deletes an environment; `confirm` repeats its name when it holds values, tokens or grants. A
 * protected one is a change request (202): thrown as ChangeRequestPendingError.
 */
export function useDeleteEnvironment() {
  const client = useAdminClient();
  return useAdminMutation(
    ({ name, confirm }: { name: string; confirm?: string }) => unwrapOrHeld<void>(client.DELETE("/api/environments/{name}", { params: { path: { name }, query: confirm === undefined ? {} : { confirm } } })),
    [keywardKeys.all],
  );
}

/** The secrets matrix: each secret's state (set / stub / missing / disabled) in every environment. */
export function useSecretsMatrix(query: MaybeRefOrGetter<SecretsMatrixQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.secretsMatrix, params],
    queryFn: () => unwrap(client.GET("/api/secrets/matrix", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

/** Copies a value between environments server-side; the response names versions, never the value. */
export function usePromoteSecret() {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: PromoteBody & { name: string }) => unwrap(client.POST("/api/secrets/{name}/promote", { params: { path: { name } }, body })), [
    keywardKeys.secrets,
    keywardKeys.secretsMatrix,
    keywardKeys.missingSecrets,
    keywardKeys.environments,
  ]);
}
