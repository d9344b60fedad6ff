import fs from "node:fs";
import path from "node:path";
import { KeywardError, isLoopbackHost } from "@keyward/common";
import { parseAuditCheckpoint, type AuditCheckpoint } from "@keyward/db";

/** Where signed audit checkpoints go: outside the database, so truncating or wiping the log is caught. */
export interface CheckpointSink {
  /** "file /var/lib/keyward/audit-checkpoints.jsonl" or "https://…" (for logs; never holds a credential). */
  readonly description: string;
  write(checkpoint: AuditCheckpoint): Promise<void>;
  /** The newest checkpoint the sink holds (a file sink reads its last line; an HTTP sink knows none). */
  latest(): Promise<AuditCheckpoint | undefined>;
}

/** Appends one JSON line per checkpoint (mode 0600); the file is the history, its last line the newest. */
function fileSink(file: string): CheckpointSink {
  return {
    description: `file ${file}`,
    async write(checkpoint) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await fs.promises.appendFile(file, JSON.stringify(checkpoint) + "\n", { mode: 0o600 });
    },
    async latest() {
      let text: string;
      try {
        text = await fs.promises.readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new KeywardError("config", `the audit checkpoint file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, { field: "KEYWARD_AUDIT_CHECKPOINT_SINK" });
      }
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      // A torn last line (a crash mid-append) is skipped: the line before it is then the newest.
      for (let i = lines.length - 1; i >= 0; i--) {
        try {
          return parseAuditCheckpoint(lines[i]!);
        } catch {
          continue;
        }
      }
      return undefined;
    },
  };
}

/** POSTs each checkpoint as JSON to a collector (e.g. an append-only log store), with an optional bearer token. */
function httpSink(url: URL, token: string | undefined): CheckpointSink {
  // Origin only: a collector's path may hold its own key (webhook-style URLs), and this text is logged.
  const shown = url.pathname === "/" ? url.origin : `${url.origin}/…`;
  return {
    description: shown,
    async write(checkpoint) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(checkpoint),
        redirect: "error",
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new KeywardError("internal", `the audit checkpoint sink ${shown} answered ${res.status}`);
    },
    latest: async () => undefined,
  };
}

/**
 * The sink for KEYWARD_AUDIT_CHECKPOINT_SINK: an https URL (http only to a loopback host), or a
 * file path (relative to `cwd`). A URL with a user or password is refused: credentials go in
 * KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN, which is never logged.
 */
export function createCheckpointSink(target: string, options: { cwd?: string; token?: string } = {}): CheckpointSink {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new KeywardError("config", "KEYWARD_AUDIT_CHECKPOINT_SINK is not a valid URL", { field: "KEYWARD_AUDIT_CHECKPOINT_SINK" });
    }
    if (url.username || url.password) throw new KeywardError("config", "KEYWARD_AUDIT_CHECKPOINT_SINK must not carry a user or password: put a bearer token in KEYWARD_AUDIT_CHECKPOINT_SINK_TOKEN", { field: "KEYWARD_AUDIT_CHECKPOINT_SINK" });
    if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) return httpSink(url, options.token);
    throw new KeywardError("config", `KEYWARD_AUDIT_CHECKPOINT_SINK must be an https:// URL (http:// only to a loopback host) or a file path, got a ${url.protocol}// URL`, { field: "KEYWARD_AUDIT_CHECKPOINT_SINK" });
  }
  return fileSink(path.resolve(options.cwd ?? process.cwd(), target));
}
