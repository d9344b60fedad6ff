import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { startSecretsService } from "../src/index.js";
import { tmpDir } from "./helpers.js";

// Issue #12 §7: an existing data directory is tightened to 0700, or refused when others can write
// it and this user cannot tighten it.

describe("the data directory's mode", () => {
  it("tightens an existing directory that others can read or write to 0700, and says so", async () => {
    const dir = tmpDir("kw-mode-");
    fs.chmodSync(dir, 0o777);
    let logs = "";
    const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }) });
    const service = await startSecretsService({ env: {}, dataDir: dir, grpcPort: 0, httpPort: 0, logger });
    try {
      expect((fs.statSync(dir).mode & 0o777).toString(8)).toBe("700");
      expect(logs).toContain('"msg":"data directory was open to other users; tightened to mode 700"');
      expect(logs).toContain('"was":"777"');
    } finally {
      await service.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)("refuses, as another user, a group- or world-writable directory it does not own", () => {
    const dir = tmpDir("kw-mode-");
    fs.chmodSync(dir, 0o777);
    const script = `import("${path.resolve(import.meta.dirname, "../dist/index.js")}").then((m) => m.startSecretsService({ env: {}, dataDir: ${JSON.stringify(dir)}, grpcPort: 0, httpPort: 0, logLevel: "silent" })).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })`;
    // Run as "nobody", who may write the directory but not chmod it.
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { uid: 65534, gid: 65534, encoding: "utf8", cwd: "/tmp", env: { PATH: process.env.PATH ?? "", HOME: "/tmp" } });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(`the data directory ${dir} is writable by other users (mode 777) and cannot be changed (EPERM)`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
