import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ServiceConfig } from "@keyward/common";
import { leftoverBootstrapTokenFile } from "../../bootstrap-token-file.js";
import type { DoctorCheck } from "../types.js";

const NAME = "data directory";

function explain(code: string | undefined): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied (check its owner and mode, or an immutable attribute: lsattr -d)";
    case "EROFS":
      return "it is on a read-only file system (a read-only volume or mount)";
    case "ENOSPC":
      return "the disk is full";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    default:
      return code ?? "unknown error";
  }
}

/** The nearest path up from `p` that exists (the root always does). */
function nearestExisting(p: string): string {
  let current = p;
  while (!fs.existsSync(current)) current = path.dirname(current);
  return current;
}

/**
 * Proves the directory is writable by writing and removing a probe file: permission bits alone
 * lie for root, and a read-only mount or an immutable directory stops even root.
 */
export function checkDataDir(config: ServiceConfig, env: NodeJS.ProcessEnv): DoctorCheck {
  const dir = config.dataDir;
  const needed = !config.databaseUrl || !env.KEYWARD_MASTER_KEY?.trim() || !env.KEYWARD_AUDIT_KEY?.trim();
  const fix = "set KEYWARD_DATA_DIR (or --data-dir) to a directory the service's user can write, or fix this one's ownership/mount";
  if (!fs.existsSync(dir)) {
    const existing = nearestExisting(dir);
    if (!fs.statSync(existing).isDirectory()) {
      return { name: NAME, status: needed ? "fail" : "warn", summary: `${dir} cannot be created: ${existing} is a file, not a directory`, fix };
    }
    try {
      fs.accessSync(existing, fs.constants.W_OK);
    } catch (error) {
      return { name: NAME, status: needed ? "fail" : "warn", summary: `${dir} cannot be created in ${existing}: ${explain((error as NodeJS.ErrnoException).code)}`, fix };
    }
    return { name: NAME, status: "ok", summary: `${dir} does not exist yet; start creates it (mode 0700)` };
  }
  if (!fs.statSync(dir).isDirectory()) return { name: NAME, status: needed ? "fail" : "warn", summary: `${dir} is a file, not a directory`, fix };
  const probe = path.join(dir, `.keyward-doctor-${randomBytes(4).toString("hex")}`);
  try {
    fs.writeFileSync(probe, "", { flag: "wx", mode: 0o600 });
    fs.unlinkSync(probe);
  } catch (error) {
    return { name: NAME, status: needed ? "fail" : "warn", summary: `${dir} is not writable: ${explain((error as NodeJS.ErrnoException).code)}`, fix };
  }
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    // start tightens it to 0700 when it owns it, and refuses a group- or world-writable one it cannot.
    const owned = fs.statSync(dir).uid === process.getuid?.();
    const status = !owned && (mode & 0o022) !== 0 ? "fail" : "warn";
    return { name: NAME, status, summary: `${dir} is writable, but other users can access it (mode ${mode.toString(8)})${owned ? "; start tightens it to 700" : ", and this user does not own it"}`, fix: `chmod 700 ${dir}` };
  }
  const tokenFile = leftoverBootstrapTokenFile(dir);
  if (tokenFile) return { name: NAME, status: "warn", summary: `${dir} is writable, but still holds the first start's bootstrap admin token (${tokenFile})`, fix: `store the token safely, then: rm ${tokenFile}` };
  return { name: NAME, status: "ok", summary: `${dir} is writable${needed ? "" : " (not needed: PostgreSQL and both keys come from the environment)"}` };
}
