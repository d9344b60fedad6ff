import type { Envelope } from "@keyward/common";
import { signingPublicKey } from "@keyward/common";
import type { Kysely } from "kysely";
import type { Database } from "../../schema.js";
import { readSigningKeyMaterial } from "./read-material.js";

/**
 * The signing keys of one environment with their kept versions (newest first); an Ed25519 version
 * carries its public key, derived from the sealed material here and never the material itself.
 */
export async function listSigningKeys(db: Kysely<Database>, envelope: Envelope, input: { environmentId: string; name?: string }) {
  let query = db
    .selectFrom("signing_keys as k")
    .innerJoin("secrets as s", "s.id", "k.secret_id")
    .innerJoin("secret_definitions as d", "d.name", "s.name")
    .select(["s.id", "s.name", "s.status", "s.current_version", "d.description", "k.algorithm", "k.min_version", "k.created_at", "k.created_by"])
    .where("s.environment_id", "=", input.environmentId);
  if (input.name !== undefined) query = query.where("s.name", "=", input.name);
  const keys = await query.orderBy("s.name").execute();
  return Promise.all(
    keys.map(async (key) => {
      const rows = await db.selectFrom("secret_versions").select(["version", "created_at", "created_by"]).where("secret_id", "=", key.id).orderBy("version", "desc").execute();
      const versions = await Promise.all(
        rows.map(async (v) => {
          let publicKey: string | undefined;
          if (key.algorithm === "ed25519") {
            const read = await readSigningKeyMaterial(db, envelope, { environmentId: input.environmentId, name: key.name, version: v.version });
            if (read.kind === "ok") publicKey = signingPublicKey(key.algorithm, read.material);
          }
          return { version: v.version, createdAt: v.created_at, createdBy: v.created_by, retired: v.version < key.min_version, ...(publicKey ? { publicKey } : {}) };
        }),
      );
      return { name: key.name, description: key.description, algorithm: key.algorithm, status: key.status, currentVersion: key.current_version, minVersion: key.min_version, createdAt: key.created_at, createdBy: key.created_by, versions };
    }),
  );
}

export type SigningKeySummary = Awaited<ReturnType<typeof listSigningKeys>>[number];
