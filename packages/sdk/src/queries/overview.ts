import { computed } from "vue";
import { useAccessRequests } from "./access-requests.js";
import { useChangeRequests } from "./change-requests.js";
import { envQuery, type EnvironmentScope } from "./environment-scope.js";
import { useMissingSecrets } from "./missing-secrets.js";
import { useSecrets } from "./secrets.js";
import { useServiceTokens } from "./service-tokens.js";

/** One count of what waits for an admin: `more` when there are more than `count` (one page). */
export interface WaitingCount {
  count: number | null;
  more: boolean;
  failed: boolean;
}

export type OverviewCounts = Record<"pendingTokens" | "pendingRequests" | "pendingChanges" | "stubs" | "rotationDue" | "rotationOverdue", WaitingCount>;

/**
 * What waits for an admin in one environment (`scope.environment`, a value, ref or getter;
 * omitted = the instance's default, except pending change requests, which then count every
 * environment's, as their route does), counted from the list endpoints with one page each (`cap`,
 * at most 500): a count beyond it shows as "cap+", so nothing loads every row. The lists share
 * the query groups of the pages, so every mutation that changes them refreshes the counts too.
 * While another environment's counts load, the counts are unknown (null), never the last one's.
 */
export function useOverviewCounts(cap = 100, scope: EnvironmentScope = {}) {
  const page = () => ({ limit: cap, ...envQuery(scope) });
  const queries = {
    pendingTokens: useServiceTokens(() => ({ ...page(), status: "pending" })),
    pendingRequests: useAccessRequests(() => ({ ...page(), status: "pending" })),
    pendingChanges: useChangeRequests(() => ({ ...page(), status: "pending" })),
    stubs: useMissingSecrets(page),
    rotationDue: useSecrets(() => ({ ...page(), rotation: "due_soon" })),
    rotationOverdue: useSecrets(() => ({ ...page(), rotation: "overdue" })),
  };
  const counts = computed(() => {
    const out = {} as OverviewCounts;
    for (const [key, query] of Object.entries(queries) as [keyof OverviewCounts, (typeof queries)[keyof OverviewCounts]][]) {
      const data = query.isPlaceholderData.value ? undefined : (query.data.value as { items: unknown[]; nextCursor?: string | null } | undefined);
      out[key] = { count: data ? data.items.length : null, more: !!data?.nextCursor, failed: query.isError.value };
    }
    return out;
  });
  const isPending = computed(() => Object.values(queries).some((q) => q.isPending.value));
  /** Asks again (e.g. on each page change: a service's gRPC call changes the lists without any mutation here). */
  const refetch = () => Promise.all(Object.values(queries).map((q) => q.refetch()));
  return { counts, isPending, refetch };
}
