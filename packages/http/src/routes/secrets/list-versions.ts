import { routeEnvironment } from "../../environment.js";
import { getSecretMetadata, listSecretVersions } from "@keyward/db";
import type { SecretMetadata, SecretVersionList } from "@keyward/spec";
import { storedObject } from "../../mappers.js";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { secretNotFound } from "./load.js";

const versionMetadata = (json: string | null) => {
  const metadata = storedObject<SecretMetadata>(json);
  return metadata ? { metadata } : {};
};

export const listSecretVersionsRoute: RouteHandler<"listSecretVersions"> = async (ctx) => {
  const env = await routeEnvironment(ctx);
  const secret = await getSecretMetadata(ctx.deps.db, { environmentId: env.id, name: ctx.path.name });
  if (!secret) throw secretNotFound(ctx.path.name);
  const rows = await listSecretVersions(ctx.deps.db, { environmentId: env.id, name: ctx.path.name });
  const body: SecretVersionList = {
    items: rows.map((v) => ({ version: v.version, keyId: v.key_id, createdAt: new Date(v.created_at).toISOString(), createdBy: v.created_by, current: v.version === secret.current_version, ...versionMetadata(v.metadata_json) })),
  };
  sendJson(ctx.res, 200, body);
};
