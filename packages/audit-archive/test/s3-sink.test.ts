import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KeywardError } from "@keyward/common";
import { archiveName, createArchiveSink, createS3Sink, verifyArchive, writeArchive, type ArchiveSink } from "../src/index.js";
import { loadSdk } from "../src/sinks/load-sdk.js";
import { startS3Server, type S3Server } from "./fixtures/s3-server.js";
import { archiveOf, auditKey, chainRows, collect, iterate, signer } from "./helpers.js";

const ACCESS_KEY_ID = "AKIAKEYWARDTEST00001";
const SECRET_KEY = "keyward-test-secret-access-key-do-not-log";
const MiB = 1024 * 1024;

let server: S3Server;
let sink: ArchiveSink;

beforeAll(async () => {
  // The sink takes credentials from the SDK's default chain: here, the environment.
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  server = await startS3Server({ buckets: ["keyward-archives"], accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, region: "eu-west-1", maxKeys: 2 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.objects.clear();
  server.requests.length = 0;
  server.checksummed.count = 0;
  sink = createArchiveSink("s3://keyward-archives/prod/audit", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: server.endpoint, AWS_REGION: "eu-west-1" });
});

/** A body that yields `before` bytes of `bytes`, then fails. */
function failingAfter(bytes: Buffer, before: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < before; i += MiB) yield bytes.subarray(i, Math.min(i + MiB, before));
      throw new Error("the database connection dropped");
    })(),
  );
}

describe("S3 sink (real @aws-sdk/client-s3 against a local S3 server)", () => {
  it("puts, lists, reads back and verifies an archive under the prefix", async () => {
    const { bytes, summary } = await archiveOf(chainRows(300));
    expect(await sink.exists(summary.name)).toBe(false);
    await sink.put(summary.name, Readable.from([bytes]));
    const stored = server.objects.get(`keyward-archives/prod/audit/${summary.name}`);
    expect(stored?.body).toEqual(bytes);
    expect(stored?.contentType).toBe("application/gzip");
    expect(server.requests).toContain(`PUT /keyward-archives/prod/audit/${summary.name}`); // small: one PutObject
    expect(server.checksummed.count).toBe(0); // a custom endpoint: no SDK checksum headers (R2, MinIO, B2 reject them)
    expect(await sink.exists(summary.name)).toBe(true);
    expect(await sink.list()).toEqual([summary.name]);
    expect(await collect(await sink.get(summary.name))).toEqual(bytes);
    const verified = await verifyArchive(await sink.get(summary.name), { publicKey: signer.publicKey, auditKey, name: summary.name });
    expect(verified).toMatchObject({ ok: true, summary: { lastSeq: 300 } });
    expect(sink.description).toBe(`s3://keyward-archives/prod/audit/ (region eu-west-1, endpoint ${server.endpoint})`);
  });

  it("streams a large archive from the writer as a multipart upload", async () => {
    const rows = chainRows(40_000, { noise: 160 }); // random bytes per row: gzip cannot shrink it below one part
    const write = writeArchive({ partition: "audit_log_p2026_01", from: new Date("2026-01-01Z"), to: new Date("2026-02-01Z"), before: { seq: 0, hash: "0".repeat(64) }, lastSeq: rows.length, rows: iterate(rows), signer, auditKey, at: new Date("2026-04-01Z") })!;
    // With the SDK's CRC32 checksums on (as against AWS S3): every part carries one, checked by the server.
    const small = createS3Sink({ bucket: "keyward-archives", prefix: "big", region: "eu-west-1", endpoint: server.endpoint, forcePathStyle: true, partSize: 5 * MiB, sdkChecksums: true });
    server.checksummed.count = 0;
    await small.put(write.name, write.body);
    const summary = await write.summary;
    const key = `/keyward-archives/big/${write.name}`;
    expect(server.requests).toContain(`POST ${key}?uploads`);
    expect(server.objects.get(`keyward-archives/big/${write.name}`)!.body.length).toBeGreaterThan(5 * MiB);
    expect(server.requests.filter((r) => r.startsWith(`PUT ${key}?`)).length).toBeGreaterThanOrEqual(2);
    expect(server.uploads.size).toBe(0);
    expect(server.checksummed.count).toBeGreaterThanOrEqual(2);
    expect(server.objects.get(`keyward-archives/big/${write.name}`)?.etag).toMatch(/-\d+$/);
    expect(await verifyArchive(await small.get(write.name), { publicKey: signer.publicKey, auditKey })).toEqual({ ok: true, summary, hmacChecked: true });
  });

  it("leaves no object when the body fails after a part went up (the upload is aborted)", async () => {
    const bytes = randomBytes(12 * MiB);
    const name = archiveName(1, 10);
    const s3 = createS3Sink({ bucket: "keyward-archives", region: "eu-west-1", endpoint: server.endpoint, forcePathStyle: true, partSize: 5 * MiB });
    await expect(s3.put(name, failingAfter(bytes, 7 * MiB))).rejects.toThrow("the database connection dropped");
    expect(server.requests.some((r) => r.startsWith(`POST /keyward-archives/${name}?uploads`))).toBe(true);
    expect(server.requests.some((r) => r.startsWith(`DELETE /keyward-archives/${name}?uploadId`))).toBe(true);
    expect(server.uploads.size).toBe(0);
    expect(await s3.exists(name)).toBe(false);
    await s3.put(name, Readable.from([bytes.subarray(0, 11 * MiB)])); // a retry succeeds
    expect(server.objects.get(`keyward-archives/${name}`)?.body.length).toBe(11 * MiB);
  });

  it("stores nothing when the writer finds a broken chain, and says so with the writer's error", async () => {
    const rows = chainRows(2000);
    rows[1500] = { ...rows[1500]!, target: "EDITED" };
    const write = writeArchive({ partition: "p", from: new Date(0), to: new Date(1), before: { seq: 0, hash: "0".repeat(64) }, lastSeq: 2000, rows: iterate(rows), signer, auditKey, at: new Date() })!;
    await expect(sink.put(write.name, write.body)).rejects.toMatchObject({ name: "BrokenChainError", firstBadSeq: 1501 });
    expect(await sink.exists(write.name)).toBe(false);
    expect(server.objects.size).toBe(0);
  });

  it("names the S3 error of a failed part and leaves no object", async () => {
    const failing = await startS3Server({ buckets: ["b1b"], accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, failParts: [2] });
    try {
      const s3 = createS3Sink({ bucket: "b1b", region: "us-east-1", endpoint: failing.endpoint, forcePathStyle: true, partSize: 5 * MiB });
      const error = await s3.put(archiveName(1, 2), Readable.from([randomBytes(11 * MiB)])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeywardError);
      expect((error as KeywardError).message).toContain("InternalError");
      expect((error as KeywardError).message).toContain(archiveName(1, 2));
      expect(failing.objects.size).toBe(0);
      expect(failing.uploads.size).toBe(0);
    } finally {
      await failing.close();
    }
  });

  it("accepts the same bytes again but never replaces an archive, even when two puts race", async () => {
    const { bytes, summary } = await archiveOf(chainRows(20));
    await sink.put(summary.name, Readable.from([bytes]));
    const puts = server.requests.filter((r) => r.startsWith("PUT")).length;
    await sink.put(summary.name, Readable.from([bytes]));
    expect(server.requests.filter((r) => r.startsWith("PUT")).length).toBe(puts);
    await expect(sink.put(summary.name, Readable.from([Buffer.from("other bytes")]))).rejects.toMatchObject({ code: "conflict", reason: "archive_exists" });

    const name = archiveName(100, 200);
    const results = await Promise.allSettled([sink.put(name, Readable.from([Buffer.from("first")])), sink.put(name, Readable.from([Buffer.from("second")]))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ reason: "archive_exists" });
    expect(["first", "second"]).toContain(server.objects.get(`keyward-archives/prod/audit/${name}`)?.body.toString());
  });

  it("lists across pages, only archives under its prefix", async () => {
    const names = [archiveName(1, 10), archiveName(11, 20), archiveName(21, 30), archiveName(31, 40), archiveName(41, 50)];
    for (const name of [...names].reverse()) await sink.put(name, Readable.from([Buffer.from(name)]));
    await createArchiveSink("s3://keyward-archives/other", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: server.endpoint, AWS_REGION: "eu-west-1" }).put(archiveName(51, 60), Readable.from([Buffer.from("x")]));
    server.objects.set("keyward-archives/prod/audit/README.txt", { body: Buffer.from("x"), etag: "e", lastModified: new Date(), contentType: "text/plain" });
    server.requests.length = 0;
    expect(await sink.list()).toEqual(names);
    expect(server.requests).toEqual(["GET /keyward-archives/?list-type&prefix", "GET /keyward-archives/?continuation-token&list-type&prefix", "GET /keyward-archives/?continuation-token&list-type&prefix"]); // max 2 keys a page
  });

  it("stops listing, with an error naming the store, when it hands back the continuation token it was given", async () => {
    const broken = await startS3Server({ buckets: ["keyward-archives"], accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, region: "eu-west-1", maxKeys: 1, stuckContinuation: true });
    try {
      const stuck = createArchiveSink("s3://keyward-archives/prod/audit", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: broken.endpoint, AWS_REGION: "eu-west-1" });
      for (const name of [archiveName(1, 10), archiveName(11, 20)]) await stuck.put(name, Readable.from([Buffer.from(name)]));
      broken.requests.length = 0;
      await expect(stuck.list()).rejects.toMatchObject({ reason: "archive_sink_failed", message: expect.stringMatching(/ListObjectsV2 answered the continuation token it was given/) });
      expect(broken.requests).toHaveLength(2);
    } finally {
      await broken.close();
    }
  });

  it("names a missing archive, a missing bucket and bad credentials without leaking the secret", async () => {
    await expect(sink.get(archiveName(7, 8))).rejects.toMatchObject({ code: "not_found", reason: "archive_not_found" });
    const noBucket = createArchiveSink("s3://no-such-bucket", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: server.endpoint, AWS_REGION: "eu-west-1" });
    await expect(noBucket.list()).rejects.toThrow(/ListObjectsV2 failed: NoSuchBucket \(HTTP 404\)/);

    const wrong = createS3Sink({ bucket: "keyward-archives", region: "eu-west-1", endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: SECRET_KEY } });
    const error = (await wrong.put(archiveName(1, 1), Readable.from([Buffer.from("x")])).catch((e: unknown) => e)) as KeywardError;
    expect(error).toBeInstanceOf(KeywardError);
    expect(error.message).toContain("HTTP 403"); // a HEAD error has no body to name its code
    const listError = (await wrong.list().catch((e: unknown) => e)) as KeywardError;
    expect(listError.message).toContain("ListObjectsV2 failed: InvalidAccessKeyId (HTTP 403)");
    const badSecret = createS3Sink({ bucket: "keyward-archives", region: "eu-west-1", endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "not-the-secret" } });
    await expect(badSecret.list()).rejects.toThrow("ListObjectsV2 failed: SignatureDoesNotMatch (HTTP 403)");
    const badRegion = createArchiveSink("s3://keyward-archives", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: server.endpoint, AWS_REGION: "ap-south-1" });
    await expect(badRegion.list()).rejects.toThrow("AuthorizationHeaderMalformed");
    expect(JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) })).not.toContain(SECRET_KEY);
  });

  it("refuses names that are not archive names", async () => {
    await expect(sink.put("../../etc/passwd", Readable.from([Buffer.from("x")]))).rejects.toMatchObject({ code: "invalid_argument", field: "name" });
    expect(server.requests).toEqual([]);
  });
});

describe("loadSdk", () => {
  it("names the package to install when the SDK is missing", async () => {
    const missing = Object.assign(new Error("Cannot find package '@aws-sdk/client-s3'"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await loadSdk("@aws-sdk/client-s3", () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "config", reason: "sdk_missing", field: "KEYWARD_AUDIT_ARCHIVE_SINK" });
    expect((error as Error).message).toContain("npm install @aws-sdk/client-s3");
    const other = new Error("boom");
    await expect(loadSdk("x", () => Promise.reject(other))).rejects.toBe(other);
  });
});
