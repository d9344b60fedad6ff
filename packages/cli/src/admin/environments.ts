import { unwrap } from "@keyward/admin-client";
import { UsageError } from "@keyward/common";
import type { Session } from "./session.js";

/**
 * The environments a command looks at: every one (--all-environments), else the session's
 * (--environment, KEYWARD_ENVIRONMENT, the profile's) or the instance's default. An unknown name
 * is a usage error naming the environments that exist.
 */
export async function targetEnvironments(session: Session, all: boolean): Promise<string[]> {
  const { items } = await unwrap(session.admin.GET("/api/environments"));
  if (all) return items.map((e) => e.name);
  if (session.environment === undefined) {
    const fallback = items.find((e) => e.default) ?? items[0];
    return fallback ? [fallback.name] : [];
  }
  if (!items.some((e) => e.name === session.environment)) {
    throw new UsageError(`unknown environment "${session.environment}"; the service has ${items.map((e) => e.name).join(", ")}`);
  }
  return [session.environment];
}
