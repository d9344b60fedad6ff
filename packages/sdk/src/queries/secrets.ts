import { unwrapOrHeld } from "./change-requests.js";
import type { SetValueResponse } from "@keyward/spec";
import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { CreateSecretBody, RollbackBody, SecretListQuery, SetValueBody, UpdateSecretBody } from "./types.js";
import { envQuery, type EnvironmentScope } from "./environment-scope.js";
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
export function useSecret(name: MaybeRefOrGetter<string>, scope?: EnvironmentScope) {
  const client = useAdminClient();
  const n = computed(() => toValue(name));
  const env = computed(() => envQuery(scope));
  return useQuery({
    queryKey: [...keywardKeys.secrets, "detail", n, env],
    queryFn: () => unwrap(client.GET("/api/secrets/{name}", { params: { path: { name: n.value }, query: env.value } })),
    enabled: () => n.value !== "",
  });
}

/** The kept versions of a secret (metadata only). */
export function useSecretVersions(name: MaybeRefOrGetter<string>, scope?: EnvironmentScope) {
  const client = useAdminClient();
  const n = computed(() => toValue(name));
  const env = computed(() => envQuery(scope));
  return useQuery({
    queryKey: [...keywardKeys.secrets, "versions", n, env],
    queryFn: () => unwrap(client.GET("/api/secrets/{name}/versions", { params: { path: { name: n.value }, query: env.value } })),
    enabled: () => n.value !== "",
  });
}

// A value or a new secret changes the stub list too.
const secretGroups = [keywardKeys.secrets, keywardKeys.missingSecrets, keywardKeys.secretsMatrix, keywardKeys.environments];

export function useCreateSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((body: CreateSecretBody) => unwrap(client.POST("/api/secrets", { params: { query: envQuery(scope) }, body })), secretGroups);
}

/** Sets a value (write-only); the response holds only the name and the new version. */
export function useSetSecretValue(scope?: EnvironmentScope) {
  const client = useAdminClient();
  // In a protected environment the value is held in a change request (202): that is thrown as ChangeRequestPendingError.
  return useAdminMutation(
    ({ name, ...body }: SetValueBody & { name: string }) => unwrapOrHeld<SetValueResponse>(client.PUT("/api/secrets/{name}/value", { params: { path: { name }, query: envQuery(scope) }, body })),
    secretGroups,
  );
}

export function useUpdateSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation(({ name, ...body }: UpdateSecretBody & { name: string }) => unwrap(client.PATCH("/api/secrets/{name}", { params: { path: { name }, query: envQuery(scope) }, body })), [keywardKeys.secrets, keywardKeys.secretsMatrix]);
}

export function useDisableSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  // In a protected environment disabling is a change request (202): thrown as ChangeRequestPendingError.
  return useAdminMutation((name: string) => unwrapOrHeld(client.POST("/api/secrets/{name}/disable", { params: { path: { name }, query: envQuery(scope) } })), secretGroups);
}

export function useEnableSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/secrets/{name}/enable", { params: { path: { name }, query: envQuery(scope) } })), secretGroups);
}

/** Deletes a secret; its grants are revoked, so access requests change too. */
export function useDeleteSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  // In a protected environment deleting is a change request (202): thrown as ChangeRequestPendingError.
  return useAdminMutation((name: string) => unwrapOrHeld<void>(client.DELETE("/api/secrets/{name}", { params: { path: { name }, query: envQuery(scope) } })), [...secretGroups, keywardKeys.accessRequests]);
}

export function useRollbackSecret(scope?: EnvironmentScope) {
  const client = useAdminClient();
  // In a protected environment a rollback is a change request (202): thrown as ChangeRequestPendingError.
  return useAdminMutation(
    ({ name, ...body }: RollbackBody & { name: string }) => unwrapOrHeld(client.POST("/api/secrets/{name}/rollback", { params: { path: { name }, query: envQuery(scope) }, body })),
    [keywardKeys.secrets],
  );
}

/** Tests the stored credential from the server (the value goes only to its target); answers the secret with its new `credential` health. */
export function useTestSecretConnection(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/secrets/{name}/test-connection", { params: { path: { name }, query: envQuery(scope) } })), secretGroups);
}

/** Turns scheduled re-verification on (every `everyHours`) or off (null). */
export function useSetSecretVerification(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation(
    ({ name, everyHours }: { name: string; everyHours: number | null }) => unwrap(client.PUT("/api/secrets/{name}/verification", { params: { path: { name }, query: envQuery(scope) }, body: { everyHours } })),
    secretGroups,
  );
}

/** The secret types the server knows: built-in and custom ones, what each accepts, which it can test. */
export function useSecretTypes() {
  const client = useAdminClient();
  return useQuery({
    queryKey: [...keywardKeys.secrets, "types"],
    queryFn: () => unwrap(client.GET("/api/secret-types")),
    staleTime: 5 * 60_000,
  });
}
