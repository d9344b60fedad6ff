import type { Principal } from "./auth/principal.js";
import { HttpProblem } from "./problem.js";

/** A caller scoped to some environments acting in another: 403 naming `environment`. */
export const outsideScope = (name: string) => new HttpProblem(403, "Forbidden", `this caller may not act in the ${name} environment`, "environment");

export const inScope = (principal: Principal | undefined, name: string): boolean => !principal?.environments || principal.environments.includes(name);

/** Refuses a scoped caller acting in an environment outside its scope (unscoped callers pass). */
export function assertInScope(principal: Principal | undefined, name: string): void {
  if (!inScope(principal, name)) throw outsideScope(name);
}

/** Refuses a scoped caller an instance-wide change (creating an environment, an unscoped key). */
export function assertUnscoped(principal: Principal | undefined, what: string): void {
  if (principal?.environments) throw new HttpProblem(403, "Forbidden", `a caller scoped to environments may not ${what}`, "environment");
}
