import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KeywardError } from "@keyward/common";
import { createArchiveSink } from "../src/index.js";

/** The KeywardError createArchiveSink throws for `target`, with its field. */
function refusal(target: string, env: NodeJS.ProcessEnv = {}): KeywardError {
  try {
    createArchiveSink(target, env);
  } catch (error) {
    expect(error).toBeInstanceOf(KeywardError);
    expect((error as KeywardError).code).toBe("config");
    return error as KeywardError;
  }
  throw new Error(`createArchiveSink accepted ${target}`);
}

describe("createArchiveSink", () => {
  it("makes a directory sink from an absolute path", () => {
    const dir = path.join(os.tmpdir(), "keyward-archives-x");
    expect(createArchiveSink(dir, {}).description).toBe(`directory ${dir}`);
  });

  it("makes an S3 sink from s3://bucket/prefix, with region and endpoint from the environment", () => {
    expect(createArchiveSink("s3://audit-archives/keyward/prod", { AWS_REGION: "eu-central-1" }).description).toBe("s3://audit-archives/keyward/prod/ (region eu-central-1)");
    expect(createArchiveSink("s3://audit-archives", { AWS_REGION: "eu-central-1", KEYWARD_AUDIT_ARCHIVE_S3_REGION: "auto", KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: "https://acct.r2.cloudflarestorage.com" }).description).toBe(
      "s3://audit-archives/ (region auto, endpoint https://acct.r2.cloudflarestorage.com)",
    );
    // An endpoint without a region (MinIO) gets us-east-1.
    expect(createArchiveSink("s3://audit-archives/x/", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: "http://127.0.0.1:9000" }).description).toBe("s3://audit-archives/x/ (region us-east-1, endpoint http://127.0.0.1:9000)");
  });

  it("refuses bad targets, naming KEYWARD_AUDIT_ARCHIVE_SINK", () => {
    for (const target of ["", "  ", "relative/archives", "./archives", "gs://bucket/x", "https://bucket.s3.amazonaws.com/x", "s3://", "s3://Upper_Case", "s3://ab", "s3://192.168.1.10/x", "s3://bucket/../x", "s3://bucket//x", "s3://bucket/a//b", "s3://bucket/a/./b"]) {
      const error = refusal(target, { AWS_REGION: "eu-west-1" });
      expect(error.field, target).toBe("KEYWARD_AUDIT_ARCHIVE_SINK");
    }
    expect(refusal("gs://bucket/x").message).toContain("gs:// is not a supported sink");
    expect(refusal("s3://Upper_Case", { AWS_REGION: "eu-west-1" }).message).toContain('"Upper_Case" is not a valid S3 bucket name');
  });

  it("refuses an insecure or credential-bearing endpoint and a missing region, naming the setting", () => {
    expect(refusal("s3://bucket", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: "http://minio.internal:9000" })).toMatchObject({ field: "KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT", message: expect.stringContaining("must use https") });
    expect(refusal("s3://bucket", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: "ftp://x" }).field).toBe("KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT");
    const creds = refusal("s3://bucket", { KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT: "https://AKIA:hunter2@minio.example.com" });
    expect(creds.field).toBe("KEYWARD_AUDIT_ARCHIVE_S3_ENDPOINT");
    expect(creds.message).not.toContain("hunter2");
    expect(refusal("s3://bucket", {})).toMatchObject({ field: "KEYWARD_AUDIT_ARCHIVE_S3_REGION", message: expect.stringContaining("AWS_REGION") });
    expect(refusal("s3://bucket", { AWS_REGION: "x", KEYWARD_AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE: "yes" }).field).toBe("KEYWARD_AUDIT_ARCHIVE_S3_FORCE_PATH_STYLE");
  });
});
