import { setTimeout as sleep } from "node:timers/promises";
import { unwrap } from "@keyward/admin-client";
import { runCommand, UsageError, type CommandIo, type CommandRunner } from "@keyward/common";
import type { AuditEntry, AuditVerification } from "@keyward/spec";
import { openSession, SESSION_FLAGS, type Session } from "../admin/session.js";
import { readCheckpointFile } from "../audit/checkpoint-file.js";
import { formatAuditRow } from "../audit/format-row.js";
import { streamTo } from "../audit/stream-to.js";
import { CliError, EXIT } from "../exit-codes.js";
import { painter } from "../output/format.js";
import { runSubcommand } from "./subcommands.js";

export const AUDIT_HELP = `Usage:
  keyward audit tail [-n N] [--follow] [--action A] [--actor ID] [--result R] [--since TIME]
  keyward audit verify [--checkpoint FILE [--public-key KEY]]
  keyward audit export [--out FILE] [--format jsonl|csv] [--action A] [--actor ID] [--result R] [--since TIME] [--until TIME]

The audit log is chained (each row's HMAC covers the one before), and rows never hold a value or
a token. tail prints the newest N rows (default 20) and, with --follow, new rows as they are
written until Ctrl-C (--json: one JSON object per line). verify checks the whole chain against the
service's latest checkpoint, or a checkpoint FILE you kept; export streams the filtered log to FILE
(written whole or not at all) or to stdout.

  --environment NAME   only rows about this environment (the audit log is instance-wide otherwise)
  --interval SECONDS   --follow: how often to ask for new rows (default 2)
  --json               JSON for scripts
  --profile NAME       use this saved profile

Exit codes: 0 ok, 1 the chain is broken (verify names the first bad row) or the request failed,
2 usage, 3 not logged in or not allowed (the audit log needs owner, admin or auditor), 4 unreachable.
`;

const FILTER_FLAGS = { action: { type: "string" }, actor: { type: "string" }, result: { type: "string" }, since: { type: "string" } } as const;

/** The subcommands, by name (the top-level help lists them from here). */
export const AUDIT_SUBCOMMANDS: Record<string, CommandRunner> = { tail: runTail, verify: runVerify, export: runExport };

export function runAuditCommand(argv: string[], io: CommandIo): Promise<number> {
  return runSubcommand(argv, io, "audit", AUDIT_HELP, AUDIT_SUBCOMMANDS);
}

interface Filters {
  action?: string | undefined;
  actor?: string | undefined;
  result?: string | undefined;
  since?: string | undefined;
  environment?: string | undefined;
}

/** The audit query of the filter flags; the environment only when --environment was given (not the profile's). */
function auditQuery(values: Filters) {
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be a date-time such as 2026-11-30T12:00:00Z, got "${values.since}"`);
  return {
    ...(values.action !== undefined ? { action: values.action } : {}),
    ...(values.actor !== undefined ? { actor: values.actor } : {}),
    ...(values.result !== undefined ? { result: values.result } : {}),
    ...(values.since !== undefined ? { from: new Date(values.since).toISOString() } : {}),
    ...(values.environment !== undefined ? { environment: values.environment } : {}),
  };
}

/** Every row of the query after `afterSeq`, keeping only the newest `keep`. */
async function rowsAfter(session: Session, query: ReturnType<typeof auditQuery>, afterSeq: number, keep: number): Promise<AuditEntry[]> {
  const rows: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(session.admin.GET("/api/audit", { params: { query: { ...query, limit: 500, ...(cursor ? { cursor } : {}) } } }));
    for (const row of page.items) if (row.seq > afterSeq) rows.push(row);
    if (rows.length > keep) rows.splice(0, rows.length - keep);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return rows;
}

function runTail(argv: string[], io: CommandIo): Promise<number> {
  const flags = { ...SESSION_FLAGS, ...FILTER_FLAGS, lines: { type: "string", short: "n" }, follow: { type: "boolean", short: "f" }, interval: { type: "string" } } as const;
  return runCommand(argv, io, AUDIT_HELP, flags, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`audit tail takes no arguments, got "${positionals[0]}"`);
    const lines = values.lines === undefined ? 20 : Number(values.lines);
    if (!Number.isInteger(lines) || lines < 0 || lines > 10_000) throw new UsageError(`-n must be a whole number from 0 to 10000, got "${values.lines}"`);
    const interval = values.interval === undefined ? 2 : Number(values.interval);
    if (!(interval >= 0.1 && interval <= 3600)) throw new UsageError(`--interval must be a number of seconds from 0.1 to 3600, got "${values.interval}"`);
    const session = openSession(io, values);
    const query = auditQuery(values);
    const paint = painter(io.stdout, io.env);
    const print = (rows: AuditEntry[]) => {
      for (const row of rows) io.stdout.write((session.json ? JSON.stringify(row) : formatAuditRow(row, paint)) + "\n");
    };
    const first = await rowsAfter(session, query, 0, lines);
    print(first);
    if (!values.follow) return EXIT.ok;
    // The newest row seen so far; later polls ask from its time on and print only higher seqs.
    let last = first.at(-1) ?? (await rowsAfter(session, query, 0, 1)).at(-1);
    for (;;) {
      await sleep(interval * 1000);
      const fresh = await rowsAfter(session, last ? { ...query, from: last.at } : query, last?.seq ?? 0, Number.MAX_SAFE_INTEGER);
      print(fresh);
      last = fresh.at(-1) ?? last;
    }
  });
}

function runVerify(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, AUDIT_HELP, { ...SESSION_FLAGS, checkpoint: { type: "string" }, "public-key": { type: "string" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`audit verify takes no arguments, got "${positionals[0]}" (a checkpoint goes in --checkpoint FILE)`);
    if (values["public-key"] !== undefined && values.checkpoint === undefined) throw new UsageError("--public-key goes with --checkpoint FILE");
    const session = openSession(io, values);
    const result: AuditVerification =
      values.checkpoint === undefined
        ? await unwrap(session.admin.GET("/api/audit/verify"))
        : await unwrap(session.admin.POST("/api/audit/verify", { body: { checkpoint: readCheckpointFile(values.checkpoint), ...(values["public-key"] !== undefined ? { publicKey: values["public-key"] } : {}) } }));
    const against = result.checkpoint ? ` against checkpoint seq ${result.checkpoint.seq} of ${result.checkpoint.time} (${result.checkpoint.source === "sink" ? "the service's latest" : values.checkpoint})` : " (no checkpoint to check against)";
    if (session.json) io.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else if (result.ok) io.stdout.write(`${painter(io.stdout, io.env)("green", "audit chain ok")}: ${result.rows ?? 0} rows checked${against}\n`);
    if (result.ok) return EXIT.ok;
    const where = result.firstBadSeq === null ? "" : ` at row ${result.firstBadSeq}`;
    throw new CliError(`the audit chain is broken${where}: ${result.problem ?? "no reason given"}${against}; see keyward audit tail --since and the rows around it`, EXIT.failed);
  });
}

function runExport(argv: string[], io: CommandIo): Promise<number> {
  const flags = { ...SESSION_FLAGS, ...FILTER_FLAGS, until: { type: "string" }, out: { type: "string", short: "o" }, format: { type: "string" } } as const;
  return runCommand(argv, io, AUDIT_HELP, flags, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`audit export takes no arguments, got "${positionals[0]}" (the file goes in --out FILE)`);
    const format = values.format ?? "jsonl";
    if (format !== "jsonl" && format !== "csv") throw new UsageError(`--format must be jsonl or csv, got "${format}"`);
    if (values.until !== undefined && Number.isNaN(Date.parse(values.until))) throw new UsageError(`--until must be a date-time such as 2026-11-30T12:00:00Z, got "${values.until}"`);
    const session = openSession(io, values);
    const query = { format, ...auditQuery(values), ...(values.until !== undefined ? { to: new Date(values.until).toISOString() } : {}) } as const;
    const { data, error, response } = await session.admin.GET("/api/audit/export", { params: { query }, parseAs: "stream" });
    if (!response.ok || !data) await unwrap(Promise.resolve({ error: error ?? {}, response }));
    let rows: number;
    try {
      rows = await streamTo(data as ReadableStream<Uint8Array>, values.out, io.stdout);
    } catch (failure) {
      const code = (failure as NodeJS.ErrnoException).code;
      throw new CliError(`the export ${values.out ? `to ${values.out} ` : ""}failed (${code ?? (failure as Error).message})${values.out ? "; nothing was written there" : ""}`, EXIT.failed);
    }
    const rowsWritten = format === "csv" ? Math.max(0, rows - 1) : rows;
    if (values.out !== undefined) io.stdout.write(`exported ${rowsWritten} audit rows (${format}) to ${values.out}\n`);
    return EXIT.ok;
  });
}
