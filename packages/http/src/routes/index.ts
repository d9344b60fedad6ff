import type { RouteHandler } from "../context.js";
import { decideAccessRequestRoute } from "./access-requests/decide.js";
import { listAccessRequestsRoute } from "./access-requests/list.js";
import { listSecretsRoute } from "./secrets/list.js";
import { setSecretValueRoute } from "./secrets/set-value.js";
import { approveServiceTokenRoute } from "./service-tokens/approve.js";
import { listServiceTokensRoute } from "./service-tokens/list.js";

export interface Route {
  method: "GET" | "PUT" | "POST";
  /** A path with {param} segments, as in openapi.yaml. */
  path: string;
  handler: RouteHandler;
}

export const routes: Route[] = [
  { method: "GET", path: "/api/secrets", handler: listSecretsRoute },
  { method: "PUT", path: "/api/secrets/{name}/value", handler: setSecretValueRoute },
  { method: "GET", path: "/api/service-tokens", handler: listServiceTokensRoute },
  { method: "POST", path: "/api/service-tokens/{id}/approve", handler: approveServiceTokenRoute },
  { method: "GET", path: "/api/access-requests", handler: listAccessRequestsRoute },
  { method: "POST", path: "/api/access-requests/{id}/approve", handler: decideAccessRequestRoute("grant") },
  { method: "POST", path: "/api/access-requests/{id}/deny", handler: decideAccessRequestRoute("deny") },
];
