// Bulk seeding for scale tests and benchmarks (issue #18): N secrets with a current value, M approved
// service tokens and their granted access requests, in multi-row INSERTs of a few thousand rows.
//
// Audit: seeding is test setup, like restoring a fixture, not a user's change, so it writes no audit
// rows (findUnauditedChanges will name these rows; that is expected on a seeded database).
//
// The rows are the ones the normal path writes (createSecretStub + setSecretValue, registerServiceToken
// + decideServiceToken, ensureAccessRequest + decideAccessRequest): a definition and a secret per
// name, one version sealed with the real envelope (AAD v2: row id, name, version) so reads decrypt,
// tokens stored by hash only, grants per (secret, service, environment).
import { randomBytes, randomUUID } from "node:crypto";
import { generateToken, hashToken, SERVICE_TOKEN_PREFIX, type Envelope } from "@keyward/common";
import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";
import { getDefaultEnvironment } from "../queries/environments/get-default.js";
import { inTransaction } from "../queries/transaction.js";

export interface ScaleSeedOptions {
  /** How many secrets (definition, secret row, one sealed version each). */
  secrets: number;
  /** How many approved service tokens, one service per token. */
  tokens: number;
  /** Secrets granted to each token's service (default min(20, secrets)), spread over all secrets. */
  grantsPerToken?: number;
  /** Where everything goes (default: the default environment). */
  environmentId?: string;
  /** Secret names are `<prefix>_<index, 6 digits>`, services `<prefix lower-cased>-svc-<index>` (default SCALE). */
  prefix?: string;
  /** Rows per INSERT statement (default 5000). */
  batchSize?: number;
  at?: Date;
}

export interface ScaleSeedToken {
  /** The plain token (only the hash is stored). */
  token: string;
  serviceName: string;
  /** Indexes into `secretNames` this token's service is granted. */
  grants: number[];
}

export interface ScaleSeed {
  environmentId: string;
  secretNames: string[];
  /** The plain value of each secret, by the index of its name. */
  values: string[];
  tokens: ScaleSeedToken[];
}

const SEEDER = "seed:scale";

function positiveInt(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`seedScale: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** Which secrets token `t` is granted: `count` consecutive indexes from t × count, wrapping, so the grants cover every secret. */
export const scaleGrantIndexes = (t: number, count: number, secrets: number): number[] => Array.from({ length: count }, (_, k) => (t * count + k) % secrets);

/** [from, to) index ranges of `size` items in `total`. */
const batches = (total: number, size: number): [number, number][] => Array.from({ length: Math.ceil(total / size) }, (_, b) => [b * size, Math.min(total, (b + 1) * size)]);

/** Seeds `secrets` secrets with values, `tokens` approved tokens and their grants, in one transaction. */
export async function seedScale(db: Kysely<Database>, envelope: Envelope, options: ScaleSeedOptions): Promise<ScaleSeed> {
  const secrets = positiveInt("secrets", options.secrets);
  const tokens = positiveInt("tokens", options.tokens);
  const perToken = positiveInt("grantsPerToken", options.grantsPerToken ?? Math.min(20, secrets));
  if (perToken > secrets) throw new RangeError(`seedScale: grantsPerToken (${perToken}) must not exceed secrets (${secrets})`);
  const batchSize = positiveInt("batchSize", options.batchSize ?? 5000);
  const prefix = options.prefix ?? "SCALE";
  if (!/^[A-Z][A-Z0-9_]{0,40}$/.test(prefix)) throw new RangeError(`seedScale: prefix must be upper-case letters, digits and _, starting with a letter, got "${prefix}"`);
  const at = options.at ?? new Date();
  const environmentId = options.environmentId ?? (await getDefaultEnvironment(db)).id;

  const secretNames = Array.from({ length: secrets }, (_, i) => `${prefix}_${String(i).padStart(6, "0")}`);
  const values = secretNames.map(() => randomBytes(24).toString("base64url"));
  const ids = secretNames.map(() => randomUUID());
  const seededTokens: ScaleSeedToken[] = Array.from({ length: tokens }, (_, t) => ({
    token: generateToken(SERVICE_TOKEN_PREFIX),
    serviceName: `${prefix.toLowerCase().replace(/_/g, "-")}-svc-${t}`,
    grants: scaleGrantIndexes(t, perToken, secrets),
  }));

  const tokenIds = seededTokens.map(() => randomUUID());
  const grants = seededTokens.flatMap((t) => t.grants.map((i) => ({ name: secretNames[i]!, service: t.serviceName })));

  await inTransaction(db, async (trx) => {
    // Change triggers only announce rows to listening caches; nothing has these rows cached, so a
    // superuser (PGlite, a test server) skips them and 300,000 notifications. Others keep them. The
    // same setting skips foreign-key checks: the rows are made consistent here, and the test reads them back.
    const { rows } = await sql<{ superuser: string }>`select current_setting('is_superuser') as superuser`.execute(trx);
    if (rows[0]?.superuser === "on") await sql`set local session_replication_role = replica`.execute(trx);
    // One array parameter per varying column (unnest), the rest as single parameters: a statement
    // carries a few thousand rows without tens of thousands of parameters.
    for (const [from, to] of batches(secrets, batchSize)) {
      const names = secretNames.slice(from, to);
      await sql`insert into secret_definitions (name, description, created_at, created_by, updated_at, updated_by)
        select n, 'scale seed ' || n, ${at}, ${SEEDER}, ${at}, ${SEEDER} from unnest(${names}::text[]) as t(n)`.execute(trx);
      await sql`insert into secrets (id, name, environment_id, status, current_version, last_rotated_at, created_at, created_by, updated_at, updated_by)
        select i, n, ${environmentId}, 'active', 1, ${at}, ${at}, ${SEEDER}, ${at}, ${SEEDER} from unnest(${ids.slice(from, to)}::text[], ${names}::text[]) as t(i, n)`.execute(trx);
      // The real envelope, AAD v2 (row id, name, version), so reads decrypt; bytes go as hex text.
      const sealed = names.map((name, k) => envelope.seal(values[from + k]!, ids[from + k]!, 1, name));
      const keyIds = new Set(sealed.map((x) => x.keyId));
      if (keyIds.size !== 1) throw new Error("seedScale: the envelope sealed with more than one key");
      await sql`insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_id, aad_version, created_at, created_by)
        select i, 1, decode(c, 'hex'), decode(w, 'hex'), ${[...keyIds][0]!}, 2, ${at}, ${SEEDER}
        from unnest(${ids.slice(from, to)}::text[], ${sealed.map((x) => Buffer.from(x.ciphertext).toString("hex"))}::text[], ${sealed.map((x) => Buffer.from(x.wrappedKey).toString("hex"))}::text[]) as t(i, c, w)`.execute(trx);
    }
    for (const [from, to] of batches(tokens, batchSize)) {
      const batch = seededTokens.slice(from, to);
      await sql`insert into service_tokens (id, environment_id, service_name, service_version, token_hash, status, requested_at, approved_at, approved_by)
        select i, ${environmentId}, s, '1', h, 'approved', ${at}, ${at}, ${SEEDER}
        from unnest(${tokenIds.slice(from, to)}::text[], ${batch.map((t) => t.serviceName)}::text[], ${batch.map((t) => hashToken(t.token))}::text[]) as t(i, s, h)`.execute(trx);
    }
    for (const [from, to] of batches(grants.length, batchSize)) {
      const batch = grants.slice(from, to);
      await sql`insert into access_requests (id, secret_name, service_name, environment_id, status, requested_at, decided_at, decided_by)
        select i, n, s, ${environmentId}, 'granted', ${at}, ${at}, ${SEEDER}
        from unnest(${batch.map(() => randomUUID())}::text[], ${batch.map((g) => g.name)}::text[], ${batch.map((g) => g.service)}::text[]) as t(i, n, s)`.execute(trx);
    }
  });
  return { environmentId, secretNames, values, tokens: seededTokens };
}
