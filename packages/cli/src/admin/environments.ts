import { unwrap } from "@keyward/admin-client";
import { UsageError } from "@keyward/common";
import type { Session } from "./session.js";

/**
 * The environments a command looks at: every one the admin key may act in (--all-environments), else the session's
 * (--environment, KEYWARD_ENVIRONMENT, the profile's) or the instance's default. An unknown name
 * is a usage error naming the environments that exist.
 */
export async function targetEnvironments(session: Session, all: boolean): Promise<string[]> {
  const { items } = await unwrap(session.admin.GET("/api/environments"));
  if (all) {
    // A key scoped to some environments looks at those only (the others would answer 403).
    const { environments: scope } = await unwrap(session.admin.GET("/api/me"));
    return items.map((e) => e.name).filter((name) => scope === null || scope.includes(name));
  }
  if (session.environment === undefined) {
    const fallback = items.find((e) => e.default) ?? items[0];
    return fallback ? [fallback.name] : [];
  }
  if (!items.some((e) => e.name === session.environment)) {
    throw new UsageError(`unknown environment "${session.environment}"; the service has ${items.map((e) => e.name).join(", ")}`);
  }
  return [session.environment];
}
