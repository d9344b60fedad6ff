import { randomUUID } from "node:crypto";

export type ActorType = "service" | "admin" | "system" | "anonymous";

/** Who is acting and from where; carried into every audit row. */
export interface RequestContext {
  requestId: string;
  actorType: ActorType;
  actorId: string;
  ip: string | null;
  userAgent: string | null;
}

export function createRequestContext(partial: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: partial.requestId ?? randomUUID(),
    actorType: partial.actorType ?? "anonymous",
    actorId: partial.actorId ?? "",
    ip: partial.ip ?? null,
    userAgent: partial.userAgent ?? null,
  };
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
