import { createHash } from "node:crypto";
import { Transform, pipeline, type Readable } from "node:stream";
import { pipeline as pipelineAsync } from "node:stream/promises";
import { KeywardError } from "@keyward/common";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { ARCHIVE_NAME_PATTERN } from "../format.js";
import { loadSdk } from "./load-sdk.js";
import { archiveExistsError, archiveNotFound, checkArchiveName, type ArchiveSink } from "./types.js";

export interface S3SinkOptions {
  bucket: string;
  /** Key prefix, e.g. "keyward/audit/" ("" for the bucket's root); a missing trailing "/" is added. */
  prefix?: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, …): their URL. Unset for AWS S3. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible stores need. */
  forcePathStyle?: boolean;
  /** Credentials; by default the SDK's default chain (AWS_ACCESS_KEY_ID…, profiles, instance roles). */
  credentials?: S3ClientConfig["credentials"];
  /**
   * The SDK's own CRC32 checksums on requests and responses. Default: on for AWS S3, off with an
   * `endpoint`, because many S3-compatible stores (R2, older MinIO, B2) reject the headers. Integrity
   * does not rest on them: the archive carries its own signed SHA-256, checked after the put.
   */
  sdkChecksums?: boolean;
  /** Multipart part size in bytes (at least 5 MiB); a body up to one part is a single PutObject. Default 8 MiB. */
  partSize?: number;
}

type Sdk = typeof import("@aws-sdk/client-s3");
type Storage = typeof import("@aws-sdk/lib-storage");

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const errorName = (error: unknown) => (error as { name?: string }).name ?? "Error";

/**
 * Archives as objects under `s3://bucket/prefix` through the AWS SDK v3 (loaded on first use; an
 * optional peer dependency). Bodies of unknown length go up as a multipart upload (@aws-sdk/lib-storage)
 * one part at a time, aborted on any error, so a failed put leaves no object. Puts are conditional
 * (`If-None-Match: *`): an existing archive is never replaced.
 */
export function createS3Sink(options: S3SinkOptions): ArchiveSink {
  const prefix = !options.prefix ? "" : options.prefix.endsWith("/") ? options.prefix : `${options.prefix}/`;
  const where = `s3://${options.bucket}/${prefix}`;
  const description = `${where} (region ${options.region}${options.endpoint ? `, endpoint ${new URL(options.endpoint).origin}` : ""})`;
  let loaded: Promise<{ sdk: Sdk; storage: Storage; client: S3Client }> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const sdk = await loadSdk("@aws-sdk/client-s3", () => import("@aws-sdk/client-s3"));
      const storage = await loadSdk("@aws-sdk/lib-storage", () => import("@aws-sdk/lib-storage"));
      const config: S3ClientConfig = { region: options.region, forcePathStyle: options.forcePathStyle ?? false };
      if (options.endpoint) config.endpoint = options.endpoint;
      if (options.credentials) config.credentials = options.credentials;
      if (!(options.sdkChecksums ?? !options.endpoint)) {
        config.requestChecksumCalculation = "WHEN_REQUIRED";
        config.responseChecksumValidation = "WHEN_REQUIRED";
      }
      return { sdk, storage, client: new sdk.S3Client(config) };
    })().catch((error) => {
      loaded = undefined;
      throw error;
    }));

  /** An S3 failure as a KeywardError naming the operation and S3's error code, never its raw response. */
  const failed = (operation: string, name: string | undefined, error: unknown) =>
    error instanceof KeywardError ? error : new KeywardError("internal", `${where}: ${operation}${name ? ` ${name}` : ""} failed: ${errorName(error)}${status(error) ? ` (HTTP ${status(error)})` : ""}`, { reason: "archive_sink_failed" });

  async function sha256Of(body: Readable): Promise<string> {
    const hash = createHash("sha256");
    await pipelineAsync(body, hash);
    return hash.digest("hex");
  }

  async function get(name: string): Promise<Readable> {
    checkArchiveName(name);
    const { sdk, client } = await load();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: options.bucket, Key: prefix + name }));
      return res.Body as Readable;
    } catch (error) {
      if (errorName(error) === "NoSuchKey" || status(error) === 404) throw archiveNotFound(name, where);
      throw failed("GetObject", name, error);
    }
  }

  async function exists(name: string): Promise<boolean> {
    checkArchiveName(name);
    const { sdk, client } = await load();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: options.bucket, Key: prefix + name }));
      return true;
    } catch (error) {
      if (errorName(error) === "NotFound" || status(error) === 404) return false;
      throw failed("HeadObject", name, error);
    }
  }

  /** `name` exists: the put is a no-op when `ours` (the sha256 of the bytes offered) matches it, else refused. */
  async function sameOrRefuse(name: string, ours: string): Promise<void> {
    if ((await sha256Of(await get(name))) !== ours) throw archiveExistsError(name, where);
  }

  return {
    description,
    get,
    exists,

    async put(name, body) {
      checkArchiveName(name);
      const { storage, client } = await load();
      if (await exists(name)) return sameOrRefuse(name, await sha256Of(body));
      const hash = createHash("sha256");
      const tee = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      // A body that errors destroys `tee` with its error, which fails and aborts the upload.
      let bodyError: unknown;
      pipeline(body, tee, (error) => (bodyError = error));
      const upload = new storage.Upload({
        client,
        params: { Bucket: options.bucket, Key: prefix + name, Body: tee, ContentType: "application/gzip", IfNoneMatch: "*" },
        partSize: options.partSize ?? 8 * 1024 * 1024,
        queueSize: 1,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        // Someone stored the name between our check and the upload: same bytes are fine.
        if (errorName(error) === "PreconditionFailed" || status(error) === 412) return sameOrRefuse(name, hash.digest("hex"));
        // The body's own failure (e.g. a BrokenChainError from the writer) says more than the upload's.
        if (bodyError) throw bodyError;
        throw failed("upload of", name, error);
      }
    },

    async list() {
      const { sdk, client } = await load();
      const names: string[] = [];
      let token: string | undefined;
      do {
        let res;
        try {
          res = await client.send(new sdk.ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix, ContinuationToken: token }));
        } catch (error) {
          throw failed("ListObjectsV2", undefined, error);
        }
        for (const object of res.Contents ?? []) {
          const name = object.Key?.slice(prefix.length);
          if (name && ARCHIVE_NAME_PATTERN.test(name)) names.push(name);
        }
        const next = res.IsTruncated ? res.NextContinuationToken : undefined;
        // A store that hands back the token it was given (or truncates without one) would loop forever.
        if (next !== undefined && next === token) throw new KeywardError("internal", `${where}: ListObjectsV2 answered the continuation token it was given: the store is not S3-compatible here`, { reason: "archive_sink_failed" });
        token = next;
      } while (token);
      return names.sort();
    },
  };
}
