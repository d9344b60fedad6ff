import { runDoctor } from "../doctor/index.js";
import type { DoctorCheck } from "../doctor/types.js";
import { runCommand, UsageError, type CommandIo } from "@keyward/common";

export const DOCTOR_HELP = `Usage: keyward-service doctor [--data-dir DIR] [--json]

Checks, without changing anything, what "start" needs: the configuration (environment), that the
data directory is writable, that the database is reachable (DATABASE_URL) or openable (PGlite),
and that the master and audit keys exist and match the data. Each problem is explained with a fix.
Exits 1 when a check fails, 0 otherwise (warnings included).

Run it with the same environment as the service. For embedded PGlite, stop the service first: the
database is single-process, so doctor does not open it while it is in use.
`;

const MARK: Record<DoctorCheck["status"], string> = { ok: "ok  ", warn: "WARN", fail: "FAIL", skipped: "skip" };

export function formatDoctorCheck(check: DoctorCheck): string {
  const [first, ...more] = check.summary.split("\n");
  const lines = [`${MARK[check.status]}  ${check.name}: ${first}`, ...more.map((l) => `      ${l}`)];
  if (check.fix) lines.push(`      fix: ${check.fix}`);
  return lines.join("\n") + "\n";
}

export function runDoctorCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(argv, io, DOCTOR_HELP, { "data-dir": { type: "string" }, json: { type: "boolean" } }, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`doctor takes no arguments, got "${positionals.join(" ")}"`);
    const report = await runDoctor(values["data-dir"] ? { ...io.env, KEYWARD_DATA_DIR: values["data-dir"] } : io.env);
    if (values.json) io.stdout.write(JSON.stringify(report, null, 2) + "\n");
    else {
      for (const check of report.checks) io.stdout.write(formatDoctorCheck(check));
      const warnings = report.checks.filter((c) => c.status === "warn").length;
      const notChecked = report.checks.filter((c) => c.status === "skipped").length;
      const caveats = [warnings > 0 && `${warnings} warning(s) above`, notChecked > 0 && `${notChecked} check(s) skipped`].filter(Boolean).join(", ");
      io.stdout.write(report.failed ? "\nProblems found: fix the FAIL lines above, then run doctor again.\n" : `\nNo problems found${caveats ? ` (${caveats})` : ""}.\n`);
    }
    return report.failed ? 1 : 0;
  });
}
