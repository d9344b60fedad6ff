import { listSigningKeys, type Environment, type SigningKeySummary } from "@keyward/db";
import type { SigningKey } from "@keyward/spec";
import type { RouteContext } from "../../context.js";
import { HttpProblem } from "../../problem.js";

export const signingKeyNotFound = (name: string, env: Environment) => new HttpProblem(404, "Signing key not found", `no signing key named ${name} in ${env.name}`, "name");

/**
 * Signing key changes have no change-request path yet: in a protected environment they are refused
 * (409) rather than made by one admin alone.
 */
export function refuseIfProtected(env: Environment, what: string): void {
  if (env.protected) throw new HttpProblem(409, "Environment is protected", `${env.name} is protected: ${what} is not yet supported in protected environments`, "environment");
}

/** A signing key as the spec shapes it: versions with Ed25519 public keys, never key material. */
export function toSigningKey(key: SigningKeySummary, env: Environment): SigningKey {
  return {
    name: key.name,
    description: key.description,
    algorithm: key.algorithm,
    status: key.status,
    currentVersion: key.currentVersion,
    minVersion: key.minVersion,
    createdAt: new Date(key.createdAt).toISOString(),
    createdBy: key.createdBy,
    environment: env.name,
    versions: key.versions.map((v) => ({
      version: v.version,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: v.createdBy,
      current: v.version === key.currentVersion,
      retired: v.retired,
      ...(v.publicKey ? { publicKey: v.publicKey } : {}),
    })),
  };
}

/** The named signing key, or a 404 naming it. */
export async function loadSigningKey(ctx: Pick<RouteContext, "deps">, env: Environment, name: string): Promise<SigningKey> {
  const [key] = await listSigningKeys(ctx.deps.db, ctx.deps.envelope, { environmentId: env.id, name });
  if (!key) throw signingKeyNotFound(name, env);
  return toSigningKey(key, env);
}
