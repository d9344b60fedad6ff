// grpc-js logs some request problems itself, to the console by default; one of its lines quotes the
// metadata value it refused. A token with one stray byte (a paste with a non-breaking space) must
// not reach the console or the log through it.
import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactGrpcJsLine } from "../src/grpc-js-logs.js";
import { freshPglite, startTestServer, tokenWithStatus, type TestServer } from "./harness.js";

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer(await freshPglite());
  ({ token } = await tokenWithStatus(t.kdb.db, "logs-svc", "approved"));
});
afterAll(async () => t?.close());

/** A unary GetSecret over raw HTTP/2 with `authorization` as given (latin-1 bytes allowed), to its trailers. */
function rawCall(authorization: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${t.address}`);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": "/keyward.secrets.v1.SecretsService/GetSecret",
      "content-type": "application/grpc",
      te: "trailers",
      authorization,
    });
    let trailers: Record<string, unknown> = {};
    req.on("trailers", (h) => (trailers = h));
    req.on("response", (h) => {
      if (h["grpc-status"] !== undefined) trailers = h;
    });
    req.on("data", () => undefined);
    req.on("end", () => {
      session.close();
      resolve(trailers);
    });
    req.on("error", reject);
    req.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

describe("grpc-js's own log lines", () => {
  it("never carry a refused metadata value, and reach the service's log instead of the console", async () => {
    const written: string[] = [];
    const original = { error: console.error, info: console.info, debug: console.debug, log: console.log };
    const capture = (...args: unknown[]) => void written.push(args.map(String).join(" "));
    Object.assign(console, { error: capture, info: capture, debug: capture, log: capture });
    const stray = `Bearer ${token.slice(0, 10)}\u00a0${token.slice(10)}`;
    let trailers: Record<string, unknown>;
    try {
      trailers = await rawCall(stray);
    } finally {
      Object.assign(console, original);
    }
    // The call is still answered (no token: unauthenticated), and the log says what was refused.
    expect(trailers["grpc-status"]).toBe("16");
    const secretPart = token.slice(10);
    expect(written.join("\n")).not.toContain(secretPart);
    expect(written.join("\n")).not.toContain(token.slice(4, 10));
    expect(t.logs()).not.toContain(secretPart);
    expect(t.logs()).toMatch(/"component":"grpc-js".*metadata entry authorization \(value withheld\)/);
  });
});

describe("redactGrpcJsLine", () => {
  it("withholds a metadata value, whatever it holds", () => {
    const line = 'Failed to add metadata entry x-api: hunter2 "quoted". Metadata string value "hunter2 "quoted"" contains illegal characters. For more information see https://github.com/grpc/grpc-node/issues/1173';
    expect(redactGrpcJsLine(line)).toBe("Failed to add metadata entry x-api (value withheld): illegal characters");
  });

  it("censors tokens and URL credentials in any other line", () => {
    expect(redactGrpcJsLine(`subchannel to https://user:pw@host:443 with kws_${"A".repeat(43)}`)).toBe("subchannel to https://[redacted]@host:443 with [redacted]");
  });
});
