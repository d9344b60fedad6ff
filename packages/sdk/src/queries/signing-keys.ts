import type { CreateSigningKeyRequest, RetireSigningKeyVersionsRequest } from "@keyward/spec";
import { useQuery } from "@tanstack/vue-query";
import { computed } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import { envQuery, type EnvironmentScope } from "./environment-scope.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** The environment's named signing keys (issue #16): versions and Ed25519 public keys, never material. */
export function useSigningKeys(scope?: EnvironmentScope) {
  const client = useAdminClient();
  const env = computed(() => envQuery(scope));
  return useQuery({
    queryKey: [...keywardKeys.signingKeys, "list", env],
    queryFn: () => unwrap(client.GET("/api/signing-keys", { params: { query: env.value } })),
  });
}

// A signing key is a row of the secret name space too.
const signingKeyGroups = [keywardKeys.signingKeys, keywardKeys.secrets, keywardKeys.secretsMatrix];

export function useCreateSigningKey(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((body: CreateSigningKeyRequest) => unwrap(client.POST("/api/signing-keys", { params: { query: envQuery(scope) }, body })), signingKeyGroups);
}

/** A new version of fresh material becomes current; older ones verify until retired. */
export function useRotateSigningKey(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation((name: string) => unwrap(client.POST("/api/signing-keys/{name}/rotate", { params: { path: { name }, query: envQuery(scope) } })), signingKeyGroups);
}

export function useRetireSigningKeyVersions(scope?: EnvironmentScope) {
  const client = useAdminClient();
  return useAdminMutation(
    ({ name, ...body }: RetireSigningKeyVersionsRequest & { name: string }) => unwrap(client.POST("/api/signing-keys/{name}/retire", { params: { path: { name }, query: envQuery(scope) }, body })),
    [keywardKeys.signingKeys],
  );
}
