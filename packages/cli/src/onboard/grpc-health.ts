import fs from "node:fs";
import { credentials, makeGenericClientConstructor, type ChannelCredentials } from "@grpc/grpc-js";

export type HealthStatus = "serving" | "not_serving" | "unreachable";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

/** Plaintext on loopback (as the service listens by default); TLS elsewhere, trusting KEYWARD_TLS_CA_FILE when set. */
function channelCredentials(address: string, env: NodeJS.ProcessEnv): ChannelCredentials {
  if (LOOPBACK.test(address) && env.KEYWARD_TLS !== "true") return credentials.createInsecure();
  return credentials.createSsl(env.KEYWARD_TLS_CA_FILE ? fs.readFileSync(env.KEYWARD_TLS_CA_FILE) : null);
}

// grpc.health.v1.Health/Check with an empty HealthCheckRequest; the answer's field 1 (varint) is
// the status, SERVING = 1. Encoded by hand: two bytes do not need a generated client.
const Health = makeGenericClientConstructor(
  { Check: { path: "/grpc.health.v1.Health/Check", requestStream: false, responseStream: false, requestSerialize: () => Buffer.alloc(0), requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } },
  "Health",
);

/** Asks the service's gRPC health endpoint, with a deadline; never throws. */
export function grpcHealth(address: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<HealthStatus> {
  let client: InstanceType<typeof Health>;
  try {
    client = new Health(address, channelCredentials(address, env));
  } catch {
    return Promise.resolve("unreachable");
  }
  return new Promise((resolve) => {
    (client as unknown as { Check: (req: Buffer, opts: { deadline: number }, cb: (err: Error | null, res?: Buffer) => void) => void }).Check(Buffer.alloc(0), { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      if (err || !res) return resolve("unreachable");
      resolve(res[0] === 0x08 && res[1] === 1 ? "serving" : "not_serving");
    });
  });
}
