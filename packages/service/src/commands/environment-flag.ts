import { getDefaultEnvironment, getEnvironmentByName, listEnvironments, type Database, type Environment } from "@keyward/db";
import type { Kysely } from "kysely";
import { UsageError } from "@keyward/common";

/**
 * The environment a command acts in: --environment NAME, else the instance's default. An unknown
 * name is a usage error (exit 2) naming it and the environments that exist.
 */
export async function environmentFlag(db: Kysely<Database>, name: string | undefined): Promise<Environment> {
  const environment = name === undefined ? await getDefaultEnvironment(db) : await getEnvironmentByName(db, name);
  if (environment) return environment;
  const known = (await listEnvironments(db)).map((e) => e.name).join(", ");
  throw new UsageError(`--environment "${name}": no such environment (environments: ${known})`);
}

/** For lists: one environment with --environment, else every environment in order. */
export async function environmentsFlag(db: Kysely<Database>, name: string | undefined): Promise<Environment[]> {
  return name === undefined ? listEnvironments(db) : [await environmentFlag(db, name)];
}
