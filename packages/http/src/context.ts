import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdminApiKey } from "@keyward/db";
import type { HttpDeps } from "./deps.js";

/** What a route handler receives: the parsed request and the authenticated admin. */
export interface RouteContext {
  deps: HttpDeps;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  admin: AdminApiKey;
  requestId: string;
  /** Reads and parses a JSON body of at most MAX_BODY_BYTES. */
  body(): Promise<unknown>;
}
export type RouteHandler = (ctx: RouteContext) => Promise<void>;
