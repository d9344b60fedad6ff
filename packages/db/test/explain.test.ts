// Issue #18: the queries behind the admin pages and the gRPC read path use indexes at scale. On the
// real PostgreSQL (skipped when none answers), a database seeded with 50,000 secrets, 2,000 tokens and
// 40,000 grants and ANALYZEd: each query the functions send is captured and EXPLAINed (FORMAT JSON),
// and no plan may read a big table with a sequential scan. 50,000, not fewer: at 20,000 the
// definitions fit in ~250 pages and the planner rightly prefers scanning them for a search.
import { randomBytes } from "node:crypto";
import { Kysely, PostgresDialect, sql, type CompiledQuery } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey } from "@keyward/common";
import {
  connectPostgres,
  getAccessRequest,
  getSecretByName,
  getServiceTokenByHash,
  listAccessRequests,
  listSecrets,
  listSecretsMatrix,
  listServiceTokens,
  PREPARED,
  readSecretValue,
  setSecretValue,
  type Database,
} from "../src/index.js";
import { createPostgresTestDatabases, seedScale, testPostgresAdminUrl, type ScaleSeed } from "../src/testing.js";

const BIG_TABLES = new Set(["secrets", "secret_definitions", "secret_versions", "service_tokens", "access_requests"]);

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** The plan's nodes, depth first, as "Node Type on relation using index". */
const nodesOf = (node: PlanNode, out: PlanNode[] = []): PlanNode[] => {
  out.push(node);
  for (const child of node.Plans ?? []) nodesOf(child, out);
  return out;
};
const describeNode = (n: PlanNode) => `${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}`;

describe.skipIf(!(await postgresAnswers()))("query plans at scale (PostgreSQL)", () => {
  const databases = createPostgresTestDatabases({ prefix: "keyward_explain" });
  const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
  let pool: pg.Pool;
  let db: Kysely<Database>;
  let captured: CompiledQuery[] = [];
  let seed: ScaleSeed;
  let url: string;

  beforeAll(async () => {
    url = await databases.freshUrl();
    pool = new pg.Pool({ connectionString: url, max: 2 });
    // A Kysely that records every query it sends, so the test explains exactly what the functions run.
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event) => void (event.level === "query" && captured.push(event.query)) });
    seed = await seedScale(db, envelope, { secrets: 50_000, tokens: 2_000, grantsPerToken: 20 });
    await pool.query("analyze");
  }, 180_000);
  afterAll(async () => {
    await db?.destroy();
    await databases.dropAll();
  });

  /** Runs `fn`, then EXPLAINs every query it sent; returns each query's plan nodes. */
  async function plans(fn: () => Promise<unknown>): Promise<{ sql: string; nodes: PlanNode[] }[]> {
    captured = [];
    await fn();
    const queries = captured;
    captured = [];
    const out = [];
    for (const q of queries) {
      if (!/^\s*(\/\*.*?\*\/\s*)?(select|update|delete|insert)/i.test(q.sql)) continue;
      const r = await pool.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`explain (format json) ${q.sql}`, q.parameters as unknown[]);
      out.push({ sql: q.sql, nodes: nodesOf(r.rows[0]!["QUERY PLAN"][0]!.Plan) });
      // A PREPARED statement may settle on PostgreSQL's generic plan, made without the parameters'
      // values: it must hold to the same rules.
      if (q.sql.startsWith(PREPARED)) out.push({ sql: `(generic plan) ${q.sql}`, nodes: await genericPlan(q) });
    }
    return out;
  }

  async function genericPlan(q: CompiledQuery, analyze = false): Promise<PlanNode[]> {
    const client = await pool.connect();
    try {
      // A parameterised EXPLAIN is planned with its values; EXECUTE of a PREPAREd statement under
      // force_generic_plan shows the plan made without them.
      await client.query("set plan_cache_mode = force_generic_plan");
      await client.query(`prepare kw_explain_generic as ${q.sql}`);
      const literal = (v: unknown) => (typeof v === "number" ? String(v) : `'${String(v instanceof Date ? v.toISOString() : v).replace(/'/g, "''")}'`);
      const args = q.parameters.length === 0 ? "" : `(${q.parameters.map(literal).join(", ")})`;
      const r = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`explain (${analyze ? "analyze, " : ""}format json) execute kw_explain_generic${args}`);
      return nodesOf(r.rows[0]!["QUERY PLAN"][0]!.Plan);
    } finally {
      await client.query("deallocate all; reset plan_cache_mode");
      client.release();
    }
  }

  const seqScansOnBigTables = (ps: { sql: string; nodes: PlanNode[] }[]) =>
    ps.flatMap((p) => p.nodes.filter((n) => n["Node Type"].includes("Seq Scan") && BIG_TABLES.has(n["Relation Name"] ?? "")).map((n) => `${describeNode(n)} in: ${p.sql}`));

  const name = (i: number) => seed.secretNames[i]!;
  const cases: [string, () => Promise<unknown>][] = [
    ["admin list, first page", () => listSecrets(db, { environmentId: seed.environmentId, limit: 100 })],
    ["admin list, a later page", () => listSecrets(db, { environmentId: seed.environmentId, limit: 100, cursor: Buffer.from(JSON.stringify([name(12_345)])).toString("base64url") })],
    ["admin search (name filter)", () => listSecrets(db, { environmentId: seed.environmentId, limit: 100, q: "01234" })],
    ["admin search, a later page", () => listSecrets(db, { environmentId: seed.environmentId, limit: 100, q: "SCALE_01", cursor: Buffer.from(JSON.stringify([name(10_500)])).toString("base64url") })],
    ["matrix page", () => listSecretsMatrix(db, { limit: 100, cursor: Buffer.from(JSON.stringify([name(7_000)])).toString("base64url") })],
    ["matrix search", () => listSecretsMatrix(db, { limit: 100, q: "01234" })],
    ["token list page", () => listServiceTokens(db, { environmentId: seed.environmentId, limit: 100 })],
    ["access request list page", () => listAccessRequests(db, { environmentId: seed.environmentId, limit: 100 })],
    ["token lookup", () => getServiceTokenByHash(db, hashToken(seed.tokens[1_234]!.token))],
    ["grant lookup", () => getAccessRequest(db, { environmentId: seed.environmentId, secretName: name(seed.tokens[1_234]!.grants[3]!), serviceName: seed.tokens[1_234]!.serviceName })],
    ["secret lookup", () => getSecretByName(db, { environmentId: seed.environmentId, name: name(15_000) })],
    ["current value lookup", () => readSecretValue(db, envelope, { environmentId: seed.environmentId, name: name(15_001) })],
    ["set value", () => setSecretValue(db, envelope, { environmentId: seed.environmentId, name: name(15_002), value: "next", actor: "test", at: new Date() })],
  ];

  it.each(cases)("%s: no sequential scan of a big table", async (_label, fn) => {
    const ps = await plans(fn);
    expect(ps.length).toBeGreaterThan(0);
    expect(seqScansOnBigTables(ps)).toEqual([]);
  });

  it.each([
    ["admin list, a late page", () => listSecrets(db, { environmentId: seed.environmentId, limit: 100, cursor: Buffer.from(JSON.stringify([name(45_000)])).toString("base64url") })],
    ["matrix, a late page", () => listSecretsMatrix(db, { limit: 100, cursor: Buffer.from(JSON.stringify([name(45_000)])).toString("base64url") })],
  ] as const)("%s reads about a page of rows, not the rows before it", async (_label, fn) => {
    // EXPLAIN ANALYZE runs the query: every node's actual rows (times its loops) stay near the page size.
    captured = [];
    await fn();
    const queries = captured.filter((q) => /^\s*(\/\*.*?\*\/\s*)?select/i.test(q.sql));
    type Analyzed = PlanNode & { "Actual Rows": number; "Actual Loops": number };
    const widest = (nodes: PlanNode[]) => Math.max(...(nodes as Analyzed[]).map((n) => n["Actual Rows"] * n["Actual Loops"]));
    for (const q of queries) {
      const r = await pool.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`explain (analyze, format json) ${q.sql}`, q.parameters as unknown[]);
      expect(widest(nodesOf(r.rows[0]!["QUERY PLAN"][0]!.Plan)), q.sql).toBeLessThanOrEqual(1_000);
      if (q.sql.startsWith(PREPARED)) expect(widest(await genericPlan(q, true)), `(generic plan) ${q.sql}`).toBeLessThanOrEqual(1_000);
    }
    expect(queries.length).toBeGreaterThan(0);
  });

  it("the search is served by the one trigram index over name and description, the list by the name index", async () => {
    const search = (await plans(() => listSecrets(db, { environmentId: seed.environmentId, limit: 100, q: "01234" }))).flatMap((p) => p.nodes.map(describeNode));
    expect(search).toContain("Bitmap Index Scan using secret_definitions_search_trgm");
    expect(search.filter((n) => n.startsWith("Bitmap Index Scan"))).toHaveLength(1);
    const matrix = (await plans(() => listSecretsMatrix(db, { limit: 100, q: "01234" }))).flatMap((p) => p.nodes.map(describeNode));
    expect(matrix).toContain("Bitmap Index Scan using secret_definitions_search_trgm");
    const list = (await plans(() => listSecrets(db, { environmentId: seed.environmentId, limit: 100 }))).flatMap((p) => p.nodes.map(describeNode));
    expect(list).toContain("Index Scan on secrets using secrets_name_environment");
  });

  it("list pages settle on PostgreSQL's generic plan instead of being planned on every call", async () => {
    // With the page size as a parameter, the generic plan had to assume a tenth of the table and never
    // looked cheaper than a plan for the actual page; with the cursor as one, paging from the start
    // (most of the table after the cursor) did not either: every page was planned afresh.
    // As the service connects: its pool prepares the marked statements.
    const service = connectPostgres(url, { max: 1 });
    const stats = await service.db.connection().execute(async (conn) => {
      for (let i = 0; i < 20; i++) {
        await listSecrets(conn, { environmentId: seed.environmentId, limit: 100 });
        const after = name(100 * i + 37); // paging from the start
        await listSecrets(conn, { environmentId: seed.environmentId, limit: 100, cursor: Buffer.from(JSON.stringify([after])).toString("base64url") });
      }
      return (await sql<{ statement: string; generic_plans: number | string }>`select statement, generic_plans from pg_prepared_statements where statement like ${`${PREPARED}%secret_definitions%`}`.execute(conn)).rows;
    });
    await service.close();
    expect(stats).toHaveLength(2); // the first page and a later one
    for (const s of stats) expect(Number(s.generic_plans), s.statement).toBeGreaterThanOrEqual(10);
  });

  it("the check itself catches a sequential scan", async () => {
    const ps = await plans(() => db.selectFrom("secrets").select("id").where("created_by", "=", "nobody").execute());
    expect(seqScansOnBigTables(ps)[0]).toMatch(/^Seq Scan on secrets in: select/);
  });
});
