import { unwrap } from "@keyward/admin-client";
import type { AccessRequest, ChangeRequest, Secret, ServiceToken } from "@keyward/spec";
import { allPages } from "../admin/pages.js";
import type { Session } from "../admin/session.js";

/** What waits in one environment (metadata only; never a value). */
export interface EnvironmentStatus {
  environment: string;
  pendingTokens: ServiceToken[];
  accessRequests: AccessRequest[];
  /** Secrets a service asked for that have no value yet. */
  stubs: Secret[];
  /** Secrets due for rotation within the reminder window, and past due. */
  rotationDueSoon: Secret[];
  rotationOverdue: Secret[];
  /** Changes held for approval in a protected environment. */
  changeRequests: ChangeRequest[];
}

/** How many things wait in an environment. */
export const waitingCount = (s: EnvironmentStatus): number =>
  s.pendingTokens.length + s.accessRequests.length + s.stubs.length + s.rotationDueSoon.length + s.rotationOverdue.length + s.changeRequests.length;

/** Reads what waits in `environment` from the admin API: five list calls, every page. */
export async function collectStatus(session: Session, environment: string): Promise<EnvironmentStatus> {
  const { admin } = session;
  const page = (cursor: string | undefined) => ({ limit: 500, ...(cursor ? { cursor } : {}) });
  const secrets = (query: { status?: "stub"; rotation?: "due_soon" | "overdue" }) =>
    allPages((cursor) => unwrap(admin.GET("/api/secrets", { params: { query: { environment, ...query, ...page(cursor) } } })));
  return {
    environment,
    pendingTokens: await allPages((cursor) => unwrap(admin.GET("/api/service-tokens", { params: { query: { environment, status: "pending", ...page(cursor) } } }))),
    accessRequests: await allPages((cursor) => unwrap(admin.GET("/api/access-requests", { params: { query: { environment, status: "pending", ...page(cursor) } } }))),
    stubs: await secrets({ status: "stub" }),
    rotationDueSoon: await secrets({ rotation: "due_soon" }),
    rotationOverdue: await secrets({ rotation: "overdue" }),
    changeRequests: await allPages((cursor) => unwrap(admin.GET("/api/change-requests", { params: { query: { environment, status: "pending", ...page(cursor) } } }))),
  };
}
