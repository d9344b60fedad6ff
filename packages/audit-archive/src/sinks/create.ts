import path from "node:path";
import { KeywardError, insecureUrlProblem } from "@keyward/common";
import { createDirectorySink } from "./directory.js";
import { createS3Sink } from "./s3.js";
import type { ArchiveSink } from "./types.js";

const SINK = "KEYWARD_AUDIT_ARCHIVE_SINK";
const ENDPOINT = "KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT";
const REGION = "KEYWARD_AUDIT_ARCHIVE_S3_REGION";
const PATH_STYLE = "KEYWARD_AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE";

// S3's bucket naming rules (3–63 lowercase letters, digits, dots, hyphens; no IP-like names).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const configError = (field: string, message: string) => new KeywardError("config", message, { field });

function parseS3(target: string): { bucket: string; prefix: string } {
  const rest = target.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? "" : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || /^\d+\.\d+\.\d+\.\d+$/.test(bucket) || bucket.includes("..")) {
    throw configError(SINK, `${SINK}: "${bucket}" is not a valid S3 bucket name (3–63 lowercase letters, digits, dots or hyphens): expected s3://bucket/prefix`);
  }
  const segments = prefix.replace(/\/$/, "").split("/");
  if (/[\u0000-\u001f\\]/.test(prefix) || (prefix !== "" && segments.some((part) => part === "" || part === "." || part === ".."))) {
    throw configError(SINK, `${SINK}: the prefix of ${target} must be a plain key prefix (no empty, "." or ".." segments, no control characters)`);
  }
  return { bucket, prefix };
}

function parsePathStyle(raw: string | undefined, hasEndpoint: boolean): boolean {
  if (raw === undefined || raw === "") return hasEndpoint;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw configError(PATH_STYLE, `${PATH_STYLE} must be true or false`);
}

/**
 * The sink a `KEYWARD_AUDIT_ARCHIVE_SINK` value names: an absolute directory path, or
 * `s3://bucket/prefix` with `KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT` (https, or http on loopback) for an
 * S3-compatible store, the region from `KEYWARD_AUDIT_ARCHIVE_S3_REGION` or `AWS_REGION`, path-style
 * from `KEYWARD_AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE` (default: on with an endpoint), and credentials from
 * the SDK's default chain. Nothing is contacted until the sink is used.
 */
export function createArchiveSink(target: string, env: NodeJS.ProcessEnv = process.env): ArchiveSink {
  const value = (target ?? "").trim();
  if (value === "") throw configError(SINK, `${SINK} is empty: set it to an absolute directory or s3://bucket/prefix`);
  if (value.startsWith("s3://")) {
    const { bucket, prefix } = parseS3(value);
    const endpoint = env[ENDPOINT] || undefined;
    if (endpoint) {
      const problem = insecureUrlProblem(endpoint);
      if (problem) throw configError(ENDPOINT, `${ENDPOINT} ${problem}`);
      const url = new URL(endpoint);
      if (url.username || url.password) throw configError(ENDPOINT, `${ENDPOINT} must not carry credentials (use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`);
      if (url.search || url.hash) throw configError(ENDPOINT, `${ENDPOINT} must be a base URL without a query or fragment`);
    }
    const region = env[REGION] || env.AWS_REGION || (endpoint ? "us-east-1" : undefined);
    if (!region) throw configError(REGION, `an s3:// ${SINK} needs a region: set AWS_REGION or ${REGION}`);
    return createS3Sink({ bucket, prefix, region, ...(endpoint ? { endpoint } : {}), forcePathStyle: parsePathStyle(env[PATH_STYLE], endpoint !== undefined) });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw configError(SINK, `${SINK}: ${value.split("://")[0]}:// is not a supported sink; use an absolute directory or s3://bucket/prefix`);
  }
  if (!path.isAbsolute(value)) throw configError(SINK, `${SINK}: "${value}" is not an absolute directory path`);
  return createDirectorySink({ dir: value });
}
