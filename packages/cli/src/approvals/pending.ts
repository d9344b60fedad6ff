import { AdminApiError, unwrap } from "@keyward/admin-client";
import type { AccessRequest, ServiceToken } from "@keyward/spec";
import { allPages } from "../admin/pages.js";
import type { Session } from "../admin/session.js";

/** One thing waiting for an admin's decision: a service token, or a service's request to read a secret. */
export type PendingItem = { kind: "token"; id: string; token: ServiceToken } | { kind: "access"; id: string; request: AccessRequest; description: string | undefined };

export type PendingKind = PendingItem["kind"];

/** The pending tokens, then the pending access requests, of each environment; each access request with its secret's description. */
export async function loadPending(session: Session, environments: string[]): Promise<PendingItem[]> {
  const items: PendingItem[] = [];
  for (const environment of environments) {
    const tokens = await allPages((cursor) => unwrap(session.admin.GET("/api/service-tokens", { params: { query: { environment, status: "pending", limit: 500, ...(cursor ? { cursor } : {}) } } })));
    items.push(...tokens.map((token): PendingItem => ({ kind: "token", id: token.id, token })));
    const requests = await allPages((cursor) => unwrap(session.admin.GET("/api/access-requests", { params: { query: { environment, status: "pending", limit: 500, ...(cursor ? { cursor } : {}) } } })));
    const descriptions = new Map<string, string | undefined>();
    for (const request of requests) {
      if (!descriptions.has(request.secretName)) descriptions.set(request.secretName, await describeSecret(session, environment, request.secretName));
      items.push({ kind: "access", id: request.id, request, description: descriptions.get(request.secretName) });
    }
  }
  return items;
}

/** A secret's description (what the service asked for), or undefined when it is gone. */
async function describeSecret(session: Session, environment: string, name: string): Promise<string | undefined> {
  try {
    return (await unwrap(session.admin.GET("/api/secrets/{name}", { params: { path: { name }, query: { environment } } }))).description;
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** The environment an item lives in (tokens are bound to one for life). */
export const itemEnvironment = (item: PendingItem): string => (item.kind === "token" ? item.token.environment : item.request.environment);

/** The service an item is about. */
export const itemService = (item: PendingItem): string => (item.kind === "token" ? item.token.serviceName : item.request.serviceName);

/** What is asked, in a few words: a token of a service version, or access to a secret. */
export function itemSummary(item: PendingItem): string {
  if (item.kind === "token") return `token for ${item.token.serviceName} ${item.token.serviceVersion}`;
  return `${item.request.serviceName} asks to read ${item.request.secretName}`;
}

/** Where a token was registered from (peer address, and the client certificate under mutual TLS). */
export function registeredFrom(token: ServiceToken): string {
  const { address, certificate } = token.registeredFrom;
  const parts = [address ?? "unknown address"];
  if (certificate) parts.push(`certificate ${certificate.subject}${certificate.spiffeId ? ` (${certificate.spiffeId})` : ""}`);
  return parts.join(", ");
}
