import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { connectDatabase, verifyAuditChain } from "@keyward/db";
import { describe, expect, it } from "vitest";
import { runAdminKeysCommand } from "../src/commands/admin-keys.js";
import { runTokensCommand } from "../src/commands/tokens.js";
import { startSecretsService } from "../src/index.js";
import { baseEnv, runInProcess, tmpDir } from "./helpers.js";

// An audit key that is not the chain's would append rows that break it (read later as tampering):
// start and the commands that append refuse it first, naming where it came from, and append nothing.
describe("an audit key that does not fit the chain", () => {
  it("is refused by start and by the commands that append, and nothing is appended", async () => {
    const dataDir = tmpDir("kw-audit-fit-");
    const options = { dataDir, grpcPort: 0, httpPort: 0, logLevel: "silent" as const };
    const first = await startSecretsService({ ...options, env: {} });
    await first.close();
    const keyFile = path.join(dataDir, "audit.key");
    const original = fs.readFileSync(keyFile, "utf8");
    const rows = async () => {
      const database = await connectDatabase({ dataDir });
      try {
        return (await database.db.selectFrom("audit_log").select("seq").execute()).length;
      } finally {
        await database.close();
      }
    };
    const before = await rows();
    expect(before).toBeGreaterThan(0);

    const other = randomBytes(32).toString("base64");
    await expect(startSecretsService({ ...options, env: { KEYWARD_AUDIT_KEY: other } })).rejects.toThrow(
      /^the audit key from KEYWARD_AUDIT_KEY is not the key this database's audit log was written with .*configure the original key \(KEYWARD_AUDIT_KEY\)/,
    );
    // The file replaced (or lost and generated again): named by its path.
    fs.writeFileSync(keyFile, other + "\n", { mode: 0o600 });
    await expect(startSecretsService({ ...options, env: {} })).rejects.toThrow(new RegExp(`^the audit key from ${keyFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not the key`));
    const cli = await runInProcess(runAdminKeysCommand, ["create", "--name", "recovery", "--data-dir", dataDir], baseEnv());
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/the audit key from .*audit\.key is not the key this database's audit log was written with/);
    expect(cli.stdout).not.toMatch(/kwa_/);
    const tokens = await runInProcess(runTokensCommand, ["approve", "--service", "billing", "--data-dir", dataDir], baseEnv());
    expect(tokens.stderr).toMatch(/is not the key this database's audit log was written with/);
    expect(cli.stderr + tokens.stderr).not.toContain(other);

    // Nothing was appended, and with the original key the chain still verifies and start works.
    expect(await rows()).toBe(before);
    fs.writeFileSync(keyFile, original, { mode: 0o600 });
    const database = await connectDatabase({ dataDir });
    try {
      expect(await verifyAuditChain(database.db, Buffer.from(original.trim(), "base64"))).toMatchObject({ ok: true });
    } finally {
      await database.close();
    }
    const again = await startSecretsService({ ...options, env: {} });
    await again.close();
  });
});
