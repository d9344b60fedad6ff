import { zeroCounts, type Environment as EnvironmentRow, type EnvironmentCounts } from "@keyward/db";
import type { Environment } from "@keyward/spec";
import { HttpProblem } from "../../problem.js";

/** An environment row as the spec shapes it, with what it holds. */
export const toEnvironment = (r: EnvironmentRow, counts: EnvironmentCounts | undefined): Environment => ({
  id: r.id,
  name: r.name,
  protected: r.protected,
  default: r.is_default,
  legacy: r.legacy,
  createdAt: new Date(r.created_at).toISOString(),
  createdBy: r.created_by,
  counts: counts ?? zeroCounts(),
});

export const environmentNotFound = (name: string) => new HttpProblem(404, "Environment not found", `no environment named ${name}`, "name");

/** What deleting an environment takes with it, for problems and audit reasons. */
export const heldContents = (c: { values: number; tokens: number; grants: number }) => `${c.values} value(s), ${c.tokens} token(s), ${c.grants} grant(s)`;
