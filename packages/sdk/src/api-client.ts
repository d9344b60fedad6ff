import type { AccessRequestList, Problem, SecretList, ServiceTokenList } from "@keyward/spec";

export interface AdminClientOptions {
  /** The service's admin URL, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** Returns the admin token; kept by the host app, in memory unless it chooses otherwise. */
  getToken: () => string | undefined | Promise<string | undefined>;
}

/** A failed admin call, carrying the server's problem+json (never a value). */
export class AdminApiError extends Error {
  constructor(readonly status: number, readonly problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "AdminApiError";
  }
}

/** A typed client over the spec's shapes. */
export function createAdminClient(options: AdminClientOptions) {
  const request = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const token = await options.getToken();
    const res = await fetch(options.baseUrl.replace(/\/$/, "") + path, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) },
    });
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new AdminApiError(res.status, body ?? {});
    return body as T;
  };
  return {
    listSecrets: (params: { after?: string; limit?: number } = {}) => {
      const q = new URLSearchParams();
      if (params.after) q.set("after", params.after);
      if (params.limit) q.set("limit", String(params.limit));
      return request<SecretList>(`/api/secrets${q.size ? `?${q}` : ""}`);
    },
    listServiceTokens: () => request<ServiceTokenList>("/api/service-tokens"),
    listAccessRequests: () => request<AccessRequestList>("/api/access-requests"),
  };
}
export type AdminClient = ReturnType<typeof createAdminClient>;
