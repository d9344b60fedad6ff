import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendAudit, connectDatabase, connectPostgres, migrateToLatest } from "@keyward/db";
import { runAuditCommand } from "../../src/commands/audit.js";
import { baseEnv, freshPostgresUrl, tmpDir, runInProcess } from "../helpers.js";

const run = (argv: string[], env: NodeJS.ProcessEnv) => runInProcess(runAuditCommand, argv, env);

async function seed(env: NodeJS.ProcessEnv, dataDir: string) {
  const database = await connectDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  try {
    await migrateToLatest(database.db);
    const key = Buffer.from(env.KEYWARD_AUDIT_KEY!, "base64");
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    await appendAudit(database.db, key, { at: day(1), actor_type: "admin", actor_id: "owner", action: "secret.value.set", target: "secret:A", result: "ok" });
    await appendAudit(database.db, key, { at: day(2), actor_type: "service", actor_id: "billing", action: "secret.read", target: "secret:A", result: "ok", ip: "127.0.0.1" });
    await appendAudit(database.db, key, { at: day(3), actor_type: "service", actor_id: "billing", action: "secret.read", target: "secret:B", result: "refused", reason: "access_pending" });
    await appendAudit(database.db, key, { at: day(4), actor_type: "service", actor_id: "search", action: "secret.read", target: "secret:A", result: "ok" });
  } finally {
    await database.close();
  }
}

describe("keyward-service audit on PostgreSQL", () => {
  it("verifies, checkpoints, exports with filters, and names tampering and deleted newest rows", async () => {
    const dataDir = tmpDir();
    const env = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64"), KEYWARD_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") };
    await seed(env, dataDir);

    expect(await run(["verify"], env)).toEqual({ code: 0, stdout: "OK: 4 audit row(s), the chain is intact.\n", stderr: "" });

    const checkpointFile = path.join(dataDir, "checkpoint.json");
    const made = await run(["checkpoint", "--output", checkpointFile], env);
    expect(made.code).toBe(0);
    expect(fs.statSync(checkpointFile).mode & 0o777).toBe(0o600);
    const checkpoint = JSON.parse(fs.readFileSync(checkpointFile, "utf8")) as { seq: number; publicKey: string };
    expect(checkpoint.seq).toBe(4);
    expect(made.stdout).toContain(checkpoint.publicKey);
    expect((await run(["verify", "--checkpoint", checkpointFile, "--public-key", checkpoint.publicKey], env)).stdout).toMatch(/^OK: 4 audit row\(s\), the chain is intact and contains the checkpoint of .* \(seq 4\)\.\n$/);

    const jsonl = await run(["export", "--action", "secret.read", "--actor", "billing", "--from", "2026-01-01", "--to", "2026-01-04"], env);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { seq: number; result: string }).result)).toEqual(["ok", "refused"]);
    const csvFile = path.join(dataDir, "audit.csv");
    const csv = await run(["export", "--format", "csv", "--result", "ok", "--output", csvFile], env);
    expect(csv.stderr).toBe(`Exported 3 audit row(s) to ${csvFile}.\n`);
    const lines = fs.readFileSync(csvFile, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^seq,at,actor_type,actor_id,action,target,result,/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["1", "2", "4"]);
    expect(await run(["export", "--output", csvFile], env)).toMatchObject({ code: 1, stderr: `error: ${csvFile} already exists; name a new file (audit output never overwrites one)\n` });

    // Deleting the newest rows leaves a valid chain; only the checkpoint notices.
    const db = connectPostgres(env.DATABASE_URL);
    try {
      await db.db.deleteFrom("audit_log").where("seq", "=", 4).execute();
      expect((await run(["verify"], env)).stdout).toBe("OK: 3 audit row(s), the chain is intact.\n");
      const truncated = await run(["verify", "--checkpoint", checkpointFile], env);
      expect(truncated.code).toBe(1);
      expect(truncated.stdout).toContain("TAMPERED: the first bad row is seq 4: the log ends at seq 3 but the checkpoint");
      await db.db.updateTable("audit_log").set({ actor_id: "someone-else" }).where("seq", "=", 2).execute();
      expect(await run(["verify"], env)).toMatchObject({ code: 1, stdout: "TAMPERED: the first bad row is seq 2: row hash does not match its contents\n" });
    } finally {
      await db.close();
    }
    const forged = path.join(dataDir, "forged.json");
    fs.writeFileSync(forged, JSON.stringify({ ...checkpoint, seq: 2 }));
    expect((await run(["verify", "--checkpoint", forged], env)).stdout).toBe("BAD CHECKPOINT: the checkpoint's signature does not match its contents\n");
    // Signed by another key than the audit signing key (e.g. the one derived from the audit key before it had its own).
    expect((await run(["verify", "--checkpoint", checkpointFile], { ...env, KEYWARD_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64") })).stdout).toBe("BAD CHECKPOINT: the checkpoint was signed by another key\n");
    // Signing needs the signing key: without it the command says which one is missing.
    const unsigned = await run(["checkpoint"], { ...env, KEYWARD_AUDIT_SIGNING_KEY: "", KEYWARD_DATA_DIR: dataDir });
    expect(unsigned).toMatchObject({ code: 1, stderr: expect.stringContaining("audit-signing.key") });
  });

  it("explains usage mistakes with exit code 2, and a wrong audit key as tampering", async () => {
    const env = baseEnv();
    for (const [argv, message] of [
      [[], "say what to do"],
      [["frob"], 'unknown audit action "frob"'],
      [["verify", "x"], 'audit verify takes no arguments, got "x"'],
      [["verify", "--format", "csv"], "--format does not apply to audit verify"],
      [["export", "--format", "xml"], '--format must be jsonl or csv, got "xml"'],
      [["export", "--from", "last tuesday"], '--from must be an ISO date such as 2026-01-31'],
      [["export", "--from", "2026-02-01", "--to", "2026-01-01"], "--from must be before --to"],
    ] as const) {
      const result = await run([...argv], env);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(await run(["verify", "--checkpoint", "/nonexistent/cp.json"], env)).toMatchObject({ code: 1, stderr: "error: cannot read the checkpoint file /nonexistent/cp.json\n" });

    const dataDir = tmpDir();
    const withKey = { ...baseEnv(), DATABASE_URL: await freshPostgresUrl(), KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") };
    await seed(withKey, dataDir);
    // A key the log was not written with is named as such, and nothing is appended with it (such a
    // row would break the chain for the real key).
    const rowsBefore = (await run(["export"], withKey)).stdout.trim().split("\n").length;
    const wrongKey = await run(["verify"], { ...withKey, KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") });
    expect(wrongKey).toMatchObject({ code: 1, stdout: expect.stringMatching(/^WRONG KEY: the audit key from KEYWARD_AUDIT_KEY computes neither the oldest nor the newest row's HMAC.*Nothing was recorded/) });
    const wrongRange = await run(["verify", "--from-seq", "2"], { ...withKey, KEYWARD_AUDIT_KEY: randomBytes(32).toString("base64") });
    expect(wrongRange.stdout).toMatch(/^WRONG KEY: /);
    expect((await run(["export"], withKey)).stdout.trim().split("\n")).toHaveLength(rowsBefore);
    expect(await run(["verify"], withKey)).toMatchObject({ code: 0, stdout: `OK: ${rowsBefore} audit row(s), the chain is intact.\n` });
  });
});

describe("keyward-service audit on embedded PGlite", () => {
  it("verifies and exports from the data directory with its audit.key", async () => {
    const dataDir = tmpDir();
    const key = randomBytes(32);
    fs.writeFileSync(path.join(dataDir, "audit.key"), key.toString("base64") + "\n", { mode: 0o600 });
    await seed({ ...baseEnv(), KEYWARD_AUDIT_KEY: key.toString("base64") }, dataDir);
    const env = baseEnv();
    expect((await run(["verify", "--data-dir", dataDir], env)).stdout).toBe("OK: 4 audit row(s), the chain is intact.\n");
    const csv = await run(["export", "--format", "csv", "--actor-type", "admin", "--data-dir", dataDir], env);
    expect(csv.stdout.trim().split("\n")).toHaveLength(2);
  }, 180_000);
});
