import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";

/** What an environment holds: secrets with a value, stubs, service tokens (not revoked) and grants (access requests, any status). */
export interface EnvironmentCounts {
  values: number;
  stubs: number;
  tokens: number;
  grants: number;
}

const none = (): EnvironmentCounts => ({ values: 0, stubs: 0, tokens: 0, grants: 0 });

/** Counts per environment id (an environment with nothing is absent: read it with `?? zero`). */
export async function countEnvironmentContents(db: Kysely<Database>, environmentId?: string): Promise<Map<string, EnvironmentCounts>> {
  const byId = new Map<string, EnvironmentCounts>();
  const at = (id: string) => byId.get(id) ?? byId.set(id, none()).get(id)!;
  let secrets = db
    .selectFrom("secrets")
    .select((eb) => ["environment_id", eb.fn.countAll<number | string>().filterWhere("current_version", ">", 0).as("values"), eb.fn.countAll<number | string>().filterWhere("status", "=", "stub").as("stubs")])
    .groupBy("environment_id");
  let tokens = db.selectFrom("service_tokens").select((eb) => ["environment_id", eb.fn.countAll<number | string>().as("n")]).where("status", "!=", "revoked").groupBy("environment_id");
  let grants = db.selectFrom("access_requests").select((eb) => ["environment_id", eb.fn.countAll<number | string>().as("n")]).groupBy("environment_id");
  if (environmentId !== undefined) {
    secrets = secrets.where("environment_id", "=", environmentId);
    tokens = tokens.where("environment_id", "=", environmentId);
    grants = grants.where("environment_id", "=", environmentId);
  }
  for (const r of await secrets.execute()) Object.assign(at(r.environment_id), { values: Number(r.values), stubs: Number(r.stubs) });
  for (const r of await tokens.execute()) at(r.environment_id).tokens = Number(r.n);
  for (const r of await grants.execute()) at(r.environment_id).grants = Number(r.n);
  return byId;
}

export const zeroCounts = none;
