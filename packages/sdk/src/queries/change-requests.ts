import { keepPreviousData, useQuery } from "@tanstack/vue-query";
import { computed, toValue, type MaybeRefOrGetter } from "vue";
import type { ChangeRequest, ChangeRequestStatus } from "@keyward/spec";
import { AdminApiError, unwrap } from "@keyward/admin-client";
import { useAdminClient } from "../plugin.js";
import { keywardKeys } from "./keys.js";
import { useAdminMutation } from "./use-admin-mutation.js";

/** Change requests live under their own key; deciding one may change anything in its environment. */
export const changeRequestKeys = {
  all: [...keywardKeys.all, "change-requests"] as const,
};

export interface ChangeRequestsQuery {
  environment?: string;
  status?: ChangeRequestStatus;
  limit?: number;
  cursor?: string;
}

/** Change requests, newest first, optionally of one environment and/or status (never a value). */
export function useChangeRequests(query: MaybeRefOrGetter<ChangeRequestsQuery> = {}) {
  const client = useAdminClient();
  const params = computed(() => toValue(query));
  return useQuery({
    queryKey: [...changeRequestKeys.all, "list", params],
    queryFn: () => unwrap(client.GET("/api/change-requests", { params: { query: params.value } })),
    placeholderData: keepPreviousData,
  });
}

/** One change request by id. */
export function useChangeRequest(id: MaybeRefOrGetter<string>) {
  const client = useAdminClient();
  const key = computed(() => toValue(id));
  return useQuery({
    queryKey: [...changeRequestKeys.all, "one", key],
    queryFn: () => unwrap(client.GET("/api/change-requests/{id}", { params: { path: { id: key.value } } })),
  });
}

/**
 * Approves a change request; the last approval needed applies the change, so everything is
 * refreshed. The requester (or another key of the same owner) is refused with a 403.
 */
export function useApproveChangeRequest() {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/change-requests/{id}/approve", { params: { path: { id } } })), [keywardKeys.all]);
}

/** Rejects a change request (a held value is destroyed). */
export function useRejectChangeRequest() {
  const client = useAdminClient();
  return useAdminMutation((id: string) => unwrap(client.POST("/api/change-requests/{id}/reject", { params: { path: { id } } })), [changeRequestKeys.all]);
}

/**
 * What a form's set-value hook throws when the environment is protected: the change was accepted
 * as a change request (HTTP 202) and waits for another person's approval. A form shows its message;
 * `request` says which change request holds it (never the value).
 */
export class ChangeRequestPendingError extends AdminApiError {
  constructor(readonly request: ChangeRequest) {
    super(202, { title: "Waiting for approval", detail: `${request.environment} is protected: this change waits for another person's approval (change request ${request.id})` });
    this.name = "ChangeRequestPendingError";
  }
}

/** Unwraps a call whose 200 body is the change itself; a 202 (held for approval) throws ChangeRequestPendingError. */
export async function unwrapOrHeld<T>(call: Promise<{ data?: T | ChangeRequest; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (result.response.status === 202) throw new ChangeRequestPendingError(result.data as ChangeRequest);
  return unwrap(Promise.resolve(result)) as Promise<T>;
}
