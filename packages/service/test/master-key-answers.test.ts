// External master keys against endpoints that misbehave: a Vault address that redirects (a standby
// node, a proxy) or answers far too much, and a KMS endpoint that never answers. The token and the
// KEK never leave for a redirect's target; each failure is an error naming what to fix.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { vaultTransitMasterKey } from "../src/master-key/vault-transit.js";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TOKEN = "hvs.VAULT-TOKEN-never-forwarded";
const settings = (address: string) => ({ kind: "vault-transit" as const, address, token: TOKEN, mount: "transit", key: "keyward-master" });

describe("vault-transit answers", () => {
  it("does not follow a redirect: the target gets nothing, and the error names the target's origin only", async () => {
    const reached: string[] = [];
    const target = await serve((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        reached.push(`${JSON.stringify(req.headers)} ${body}`);
        res.end("{}");
      });
    });
    const vault = await serve((_req, res) => {
      res.writeHead(307, { location: `${target.replace("127.0.0.1", "localhost")}/v1/transit/encrypt/keyward-master?leak=1` }).end();
    });
    const kek = { id: "kek_test", key: randomBytes(32) };
    const error = (await vaultTransitMasterKey(settings(vault)).wrapKek(kek).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/answered a redirect \(HTTP 307 to http:\/\/localhost:\d+\), which Keyward does not follow with the Vault token: set KEYWARD_VAULT_ADDR/);
    expect(error.message).not.toContain("leak=1");
    expect(error.message).not.toContain(TOKEN);
    expect(reached).toEqual([]);
  });

  it("cuts off an answer far larger than any transit answer", async () => {
    const vault = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 256 && res.write(chunk)) sent++;
        if (sent < 256) res.once("drain", more);
        else res.end();
      };
      more();
    });
    const error = (await vaultTransitMasterKey(settings(vault)).wrapKek({ id: "kek_test", key: randomBytes(32) }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/answered HTTP 200 with more than 65536 bytes: not a Vault transit answer/);
  });
});

describe("aws-kms answers", () => {
  it("gives up on an endpoint that accepts and never answers, instead of waiting for the idle timeout", async () => {
    const { awsKmsMasterKey } = await import("../src/master-key/aws-kms.js");
    let requests = 0;
    const silent = await serve(() => void requests++); // never answers
    const error = (await awsKmsMasterKey(
      { kind: "aws-kms", keyId: "alias/keyward", region: "eu-west-1", endpoint: silent },
      { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret-access-key-never-shown" },
      { requestMs: 300 },
    ).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/the master key \(aws-kms key alias\/keyward in eu-west-1 via http:\/\/127\.0\.0\.1:\d+\) cannot be used: .*(timeout|timed out|exceeded)/i);
    expect(error.message).not.toContain("secret-access-key-never-shown");
    expect(requests).toBeGreaterThan(0);
    // Before, the SDK only warned at requestTimeout and waited for its 5-minute idle timeout: past this test's own limit.
  }, 90_000);
});
