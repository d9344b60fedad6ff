import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { MissingSecretListQuery } from "./types.js";

/** Stubs that services asked for, each with the services that asked. */
export function useMissingSecrets(query: MaybeRefOrGetter<MissingSecretListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.missingSecrets, params],
    queryFn: () => unwrap(client.GET("/api/missing-secrets", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}
