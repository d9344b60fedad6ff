import { randomUUID } from "node:crypto";

/** An environment name: a lower-case slug (the same rule as the table's check constraint). */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export const isEnvironmentName = (name: string): boolean => ENVIRONMENT_NAME.test(name);

/** A new environment id, env_<32 hex> like the ones migration 0400 makes. */
export const newEnvironmentId = (): string => `env_${randomUUID().replaceAll("-", "")}`;
