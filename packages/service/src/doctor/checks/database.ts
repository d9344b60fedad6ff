import fs from "node:fs";
import path from "node:path";
import type { ServiceConfig } from "@keyward/common";
import { connectDatabase, getMasterKeySettings, listAuditPartitions, type KeywardDatabase } from "@keyward/db";
import { sql } from "kysely";
import { withTimeout } from "../../timeout.js";
import type { DatabaseFacts, DoctorCheck } from "../types.js";

const NAME = "database";
const CONNECT_TIMEOUT_MS = 5000;

/** host:port of a URL, without the user or password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; errors?: { code?: string }[] };
  return e.code ?? e.errors?.[0]?.code;
}

/** A connection failure as a cause and a fix; the driver's message is not quoted (it may echo the URL). */
function explainPostgres(error: unknown, target: string): Pick<DoctorCheck, "summary" | "fix"> {
  const code = errorCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return { summary: `DATABASE_URL is unreachable: nothing accepts connections at ${target} (connection refused)`, fix: "start PostgreSQL there, or correct the host and port in DATABASE_URL" };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { summary: `DATABASE_URL is unreachable: the host of ${target} does not resolve`, fix: "correct the host name in DATABASE_URL, or check DNS" };
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { summary: `DATABASE_URL is unreachable: no route to ${target} (${code})`, fix: "check the network, firewall and host in DATABASE_URL" };
    case "28P01":
    case "28000":
      return { summary: `PostgreSQL at ${target} refused the login (${code})`, fix: "check the user and password in DATABASE_URL and pg_hba.conf" };
    case "3D000":
      return { summary: `the database in DATABASE_URL (${target}) does not exist`, fix: "create it (createdb <name>) or correct its name in DATABASE_URL" };
    default:
      return { summary: `cannot connect to PostgreSQL at ${target}${code ? ` (${code})` : ""}`, fix: "check that PostgreSQL is running and DATABASE_URL is right" };
  }
}

async function readFacts(database: KeywardDatabase): Promise<DatabaseFacts> {
  const present = await sql<{ present: boolean }>`select to_regclass('secret_versions') is not null and to_regclass('audit_log') is not null as present`.execute(database.db);
  if (!present.rows[0]?.present) return { empty: true, valuesByKeyId: new Map(), auditRows: 0 };
  const byKey = await database.db.selectFrom("secret_versions").select(["key_id", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("key_id").execute();
  const audit = await database.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  // master_key_settings arrived with migration 0004; an older database has none.
  const settings = await sql<{ present: boolean }>`select to_regclass('master_key_settings') is not null as present`.execute(database.db);
  const master = settings.rows[0]?.present ? await getMasterKeySettings(database.db) : undefined;
  // The active KEK as stored (wrapped), so an external master key can be shown to unwrap it.
  const active = master ? await database.db.selectFrom("encryption_keys").select(["id", "wrapped_key", "wrapped_by"]).where("status", "=", "active").executeTakeFirst() : undefined;
  const partitioned = (await sql<{ present: boolean }>`select to_regclass('audit_partitions') is not null as present`.execute(database.db)).rows[0]?.present;
  const partitions = partitioned ? await listAuditPartitions(database.db) : [];
  return {
    empty: false,
    valuesByKeyId: new Map(byKey.map((r) => [r.key_id, Number(r.n)])),
    auditRows: Number(audit.n),
    ...(master ? { master: { fingerprint: master.fingerprint, kdf: master.kdf } } : {}),
    ...(partitions.length > 0
      ? {
          auditPartitions: {
            newestEnd: new Date(partitions[partitions.length - 1]!.ends_at),
            hot: partitions.filter((p) => p.state === "hot").map((p) => ({ name: p.name, endsAt: new Date(p.ends_at) })),
            archived: partitions.filter((p) => p.state === "archived").length,
          },
        }
      : {}),
    ...(active?.wrapped_key ? { activeKek: { id: active.id, wrapped: Buffer.from(active.wrapped_key), wrappedBy: active.wrapped_by } } : {}),
  };
}

function describeFacts(facts: DatabaseFacts): string {
  if (facts.empty) return "no Keyward tables yet; start creates them";
  const values = [...facts.valuesByKeyId.values()].reduce((a, b) => a + b, 0);
  return `${values} encrypted value(s), ${facts.auditRows} audit row(s)`;
}

/** Connects (PostgreSQL) or opens (PGlite) the database read-only in spirit: nothing is written. */
export async function checkDatabase(config: ServiceConfig): Promise<{ check: DoctorCheck; facts?: DatabaseFacts }> {
  if (config.databaseUrl) {
    const target = where(config.databaseUrl);
    const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements });
    try {
      let facts: DatabaseFacts | undefined;
      const answered = await withTimeout(
        readFacts(database).then((f) => (facts = f)),
        CONNECT_TIMEOUT_MS,
      );
      if (!answered) return { check: { name: NAME, status: "fail", summary: `DATABASE_URL is unreachable: ${target} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`, fix: "check the network, firewall and host in DATABASE_URL" } };
      return { facts, check: { name: NAME, status: "ok", summary: `PostgreSQL at ${target}: ${describeFacts(facts!)}` } };
    } catch (error) {
      return { check: { name: NAME, status: "fail", ...explainPostgres(error, target) } };
    } finally {
      void database.close().catch(() => undefined);
    }
  }
  const dir = path.join(config.dataDir, "pglite");
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    return { facts: { empty: true, valuesByKeyId: new Map(), auditRows: 0 }, check: { name: NAME, status: "ok", summary: `no embedded database in ${dir} yet; start creates it` } };
  }
  if (fs.existsSync(path.join(dir, "postmaster.pid"))) {
    // PGlite is single-process: opening it beside a running service could corrupt it.
    return {
      check: {
        name: NAME,
        status: "warn",
        summary: `the embedded database in ${dir} is open by a running service (or was not shut down cleanly), so it was not inspected`,
        fix: "stop the service and run doctor again for the key checks",
      },
    };
  }
  try {
    const database = await connectDatabase({ dataDir: config.dataDir });
    try {
      const facts = await readFacts(database);
      return { facts, check: { name: NAME, status: "ok", summary: `embedded PGlite in ${dir}: ${describeFacts(facts)}` } };
    } finally {
      await database.close();
    }
  } catch (error) {
    return { check: { name: NAME, status: "fail", summary: `the embedded database in ${dir} cannot be opened (${errorCode(error) ?? (error instanceof Error ? error.name : "error")})`, fix: "check the directory's permissions, or restore it from a backup" } };
  }
}
