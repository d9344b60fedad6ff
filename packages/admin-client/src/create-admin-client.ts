import createClient, { type Client } from "openapi-fetch";
import type { paths, Problem } from "@keyward/spec";
import { AdminApiError } from "./admin-api-error.js";

export interface AdminClientOptions {
  /** The service's origin, e.g. http://127.0.0.1:8080 ("" for the page's own origin). */
  baseUrl: string;
  /** Returns the admin token; the host app decides where it lives (memory by default). */
  getToken: () => string | undefined | Promise<string | undefined>;
  /** A fetch to use instead of globalThis.fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed admin API: every path, parameter and body comes from @keyward/spec's generated `paths`. */
export type AdminClient = Client<paths>;

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ""), ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      const token = await options.getToken();
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** The data of a successful call, or an AdminApiError with the server's problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    const problem = error && typeof error === "object" ? (error as Partial<Problem>) : {};
    throw new AdminApiError(response.status, problem);
  }
  return data as T;
}
