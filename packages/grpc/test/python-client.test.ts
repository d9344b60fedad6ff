import { execFile } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { secretsProtoPath } from "@keyward/proto";
import { createSigningKey, decideAccessRequest, ensureAccessRequest } from "@keyward/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentId, freshPglite, startTestServer, tokenWithStatus, type TestServer } from "./harness.js";

// Debian's python3 with grpcio and grpc_tools (apt: python3-grpcio python3-grpc-tools; .ci/run installs them).
const PYTHON = "/usr/bin/python3";
const run = promisify(execFile);
const script = path.join(import.meta.dirname, "fixtures/python/sign_verify.py");

let t: TestServer;
let stubs: string;

beforeAll(async () => {
  t = await startTestServer(await freshPglite());
  // Stubs from the .proto the package ships (its "proto" folder), as a Python team would make them.
  stubs = fs.mkdtempSync(path.join(os.tmpdir(), "kw-py-stubs-"));
  const protoRoot = path.resolve(path.dirname(secretsProtoPath), "../../..");
  await run(PYTHON, ["-m", "grpc_tools.protoc", `-I${protoRoot}`, `--python_out=${stubs}`, `--grpc_python_out=${stubs}`, secretsProtoPath]);
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (stubs) fs.rmSync(stubs, { recursive: true, force: true });
});

describe("Sign and Verify from Python grpcio, with stubs generated from the shipped .proto", () => {
  it("signs and verifies with both algorithms, and sees a refusal's reason trailer", async () => {
    const envId = await environmentId(t.kdb.db);
    const { token } = await tokenWithStatus(t.kdb.db, "py-service", "approved");
    for (const [name, algorithm] of [["PY_WEBHOOKS", "hmac-sha256"], ["PY_ISSUANCE", "ed25519"]] as const) {
      await createSigningKey(t.kdb.db, t.envelope, { environmentId: envId, name, algorithm, actor: "admin", at: new Date() });
      const { request } = await ensureAccessRequest(t.kdb.db, { environmentId: envId, secretName: name, serviceName: "py-service", at: new Date() });
      await decideAccessRequest(t.kdb.db, { environmentId: envId, id: request.id, decision: "grant", actor: "admin", at: new Date() });
    }
    const { stdout } = await run(PYTHON, [script, stubs, t.address, token, "PY_WEBHOOKS", "PY_ISSUANCE"], { timeout: 60_000 });
    const seen = JSON.parse(stdout) as { hmac: string; ed25519: { signature: string; public_key: string }; refused: { code: string; reason: string } };
    expect(seen.hmac).toMatch(/^kw1\.1\./);
    expect(seen.refused).toEqual({ code: "UNAUTHENTICATED", reason: "token_malformed" });
    // What Python got verifies here with the public key alone.
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(seen.ed25519.public_key, "base64").toString("base64url") }, format: "jwk" });
    expect(verify(null, Buffer.from("python payload \x00\xff", "latin1"), key, Buffer.from(seen.ed25519.signature.split(".")[2]!, "base64url"))).toBe(true);
    const rows = await t.kdb.db.selectFrom("audit_log").select(["action", "result"]).where("actor_id", "like", "py-service#%").execute();
    expect(rows.filter((r) => r.action === "signing_key.sign" && r.result === "ok")).toHaveLength(2);
  }, 90_000);
});
