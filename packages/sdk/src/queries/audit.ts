import { keepPreviousData, useMutation, useQuery, type UseMutationReturnType } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import { unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import type { AuditVerification, AuditVerifyRequest } from "@keyward/spec";
import type { AuditExportQuery, AuditListQuery } from "./types.js";

export function useAuditLog(query: MaybeRefOrGetter<AuditListQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...keywardKeys.audit, "list", params],
    queryFn: () => unwrap(client.GET("/api/audit", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

/**
 * Where the rows older than the hot window are: the archives of dropped partitions (newest first),
 * `hotFrom` (null when every row since the log began is still in the database) and how many empty
 * partitions were dropped. The list, search and export cover the hot window only.
 */
export function useAuditArchives() {
  const client = useAdminClient();
  return useQuery({
    queryKey: [...keywardKeys.audit, "archives"],
    queryFn: () => unwrap(client.GET("/api/audit/archives")),
  });
}

/** Whether the HMAC chain holds, and the first bad row if not. */
export function useAuditVerification() {
  const client = useAdminClient();
  return useQuery({
    queryKey: [...keywardKeys.audit, "verify"],
    queryFn: () => unwrap(client.GET("/api/audit/verify")),
  });
}

/** Verifies the chain against a checkpoint the admin kept (POST /api/audit/verify); the result is the mutation's data. */
export function useVerifyAuditCheckpoint(): UseMutationReturnType<AuditVerification, Error, AuditVerifyRequest, unknown> {
  const client = useAdminClient();
  return useMutation({ mutationFn: (body: AuditVerifyRequest) => unwrap(client.POST("/api/audit/verify", { body })) });
}

/** Downloads the filtered log as JSON Lines or CSV text. */
export function useAuditExport(): UseMutationReturnType<string, Error, AuditExportQuery, unknown> {
  const client = useAdminClient();
  return useMutation({
    mutationFn: (query: AuditExportQuery) => unwrap(client.GET("/api/audit/export", { params: { query }, parseAs: "text" })) as Promise<string>,
  });
}
