import { useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { CreateApprovalRuleBody } from "./types.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** An environment's approval rules, each saying whether it fires there now (`active`, `inactiveReason`). */
export function useApprovalRules(environment: MaybeRefOrGetter<string>) {
  const client = useAdminClient();
  const name = computed(() => toValue(environment));
  return useQuery({
    queryKey: [...keywardKeys.approvalRules, name],
    queryFn: () => unwrap(client.GET("/api/environments/{name}/rules", { params: { path: { name: name.value } } })),
  });
}

/** Adds a rule; a protected environment refuses the approving kinds (409 naming `environment`). */
export function useCreateApprovalRule() {
  const client = useAdminClient();
  return useAdminMutation(
    ({ environment, ...body }: CreateApprovalRuleBody & { environment: string }) => unwrap(client.POST("/api/environments/{name}/rules", { params: { path: { name: environment } }, body })),
    [keywardKeys.approvalRules],
  );
}

export function useDeleteApprovalRule() {
  const client = useAdminClient();
  return useAdminMutation(
    ({ environment, id }: { environment: string; id: string }) => unwrap(client.DELETE("/api/environments/{name}/rules/{id}", { params: { path: { name: environment, id } } })),
    [keywardKeys.approvalRules],
  );
}
