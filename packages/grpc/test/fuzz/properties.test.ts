// Property-based fuzz of every RPC in secrets.proto, on PGlite and on PostgreSQL: random and mutated
// request bytes from every kind of caller. Whatever arrives, the answer is a full response or a status
// with a Keyward reason, never INTERNAL/UNKNOWN, a dropped connection or a hang; no planted value reaches
// a caller who may not read it, and no token reaches any answer or log; the service still serves and
// the audit chain verifies afterwards. KEYWARD_FUZZ_SEED replays a run; KEYWARD_FUZZ_RUNS sets the budget
// per RPC and back-end (`pnpm fuzz` runs a long one).
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { ADMIN_TOKEN_PREFIX, generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { verifyAuditChain } from "@keyward/db";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASON_TRAILER } from "../../src/index.js";
import { bothDatabases, secretFor, startTestServer, tokenWithStatus, unary, type TestServer } from "../harness.js";
import { callerArb, root, secretsService, wireArb, type Caller } from "./arbitraries.js";

const SEED = Number(process.env.KEYWARD_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.KEYWARD_FUZZ_RUNS ?? 120);
console.log(`gRPC fuzz: seed ${SEED}, ${RUNS} runs per RPC and back-end (replay with KEYWARD_FUZZ_SEED=${SEED})`);

const GRANTED = { name: "FUZZ_GRANTED", value: "fuzz-granted-value-5f0c1e" };
const HIDDEN = { name: "FUZZ_HIDDEN", value: "fuzz-hidden-value-9a7d33" };
/** Codes that mean the server broke, not that it refused. */
const BROKEN = new Set([status.INTERNAL, status.UNKNOWN, status.UNAVAILABLE, status.UNIMPLEMENTED, status.DEADLINE_EXCEEDED, status.DATA_LOSS]);
const identity = (b: Buffer) => b;

interface Outcome {
  error: ServiceError | null;
  /** Every response message's bytes. */
  responses: Buffer[];
}

describe.each(bothDatabases)(`gRPC fuzz on %s (seed ${SEED})`, (_label, open) => {
  let t: TestServer;
  const tokens = {} as Record<"approved" | "pending" | "revoked", string>;
  const unknown = generateToken(SERVICE_TOKEN_PREFIX);
  const admin = generateToken(ADMIN_TOKEN_PREFIX);

  beforeAll(async () => {
    // Per-address and per-token rate limits have their own tests; here they would turn most calls into rate_limited.
    t = await startTestServer(await open(), { peerRateLimitPerSecond: 1_000_000, rateLimitPerSecond: 1_000_000, refusalAuditWindowMs: 200 });
    for (const s of ["approved", "pending", "revoked"] as const) tokens[s] = (await tokenWithStatus(t.kdb.db, "fuzz-svc", s)).token;
    await secretFor(t.kdb.db, t.envelope, { ...GRANTED, serviceName: "fuzz-svc", access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { ...HIDDEN, serviceName: "other-svc", access: "granted" });
  });
  afterAll(async () => t?.close());

  const metadataFor = (caller: Caller): Metadata => {
    const md = new Metadata();
    switch (caller.kind) {
      case "approved":
      case "pending":
      case "revoked":
        md.set("authorization", `Bearer ${tokens[caller.kind]}`);
        break;
      case "unknown":
        md.set("authorization", `Bearer ${unknown}`);
        break;
      case "admin":
        md.set("authorization", `Bearer ${admin}`);
        break;
      case "lowercase":
        md.set("authorization", `bearer ${tokens.approved}`);
        break;
      case "doubled":
        md.set("authorization", `Bearer ${tokens.approved}, Bearer ${tokens.approved}`);
        break;
      case "raw":
        md.set("authorization", caller.header);
        break;
      case "missing":
        break;
    }
    return md;
  };

  const invoke = (path: string, streaming: boolean, bytes: Buffer, md: Metadata): Promise<Outcome> =>
    new Promise((resolve) => {
      const deadline = Date.now() + 15_000;
      if (!streaming) {
        t.client.makeUnaryRequest(path, identity, identity, bytes, md, { deadline }, (error, res) => resolve({ error, responses: res ? [res] : [] }));
        return;
      }
      // A stream that is live (headers sent) is cancelled after a moment: what matters is how it started.
      const responses: Buffer[] = [];
      const call = t.client.makeServerStreamRequest(path, identity, identity, bytes, md, { deadline });
      call.on("data", (b: Buffer) => responses.push(b));
      call.on("metadata", () => setTimeout(() => call.cancel(), 20));
      call.on("error", (error: ServiceError) => resolve({ error: error.code === status.CANCELLED ? null : error, responses }));
      call.on("end", () => resolve({ error: null, responses }));
    });

  const secrets = [...Object.values(tokens), unknown, admin];
  const check = (method: string, caller: Caller, outcome: Outcome, tally: Map<string, number>): void => {
    const { error } = outcome;
    const key = error ? `${status[error.code]}/${error.metadata.get(REASON_TRAILER)[0] ?? "-"}` : "OK";
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if (error) {
      expect(BROKEN.has(error.code), `${method}: ${status[error.code]} ${error.details}`).toBe(false);
      expect(error.metadata.get(REASON_TRAILER)[0], `${method}: ${status[error.code]} without a reason: ${error.details}`).toBeTruthy();
    }
    const answer = Buffer.concat(outcome.responses).toString("latin1") + (error ? `${error.details} ${JSON.stringify(error.metadata.getMap())}` : "");
    expect(answer).not.toContain(HIDDEN.value);
    if (caller.kind !== "approved") expect(answer).not.toContain(GRANTED.value);
    for (const token of secrets) expect(answer).not.toContain(token);
  };

  for (const method of secretsService.methodsArray) {
    it(`${method.name}: every input gets a well-formed answer and leaks nothing`, async () => {
      const requestType = root.lookupType(method.resolvedRequestType?.fullName ?? method.requestType);
      const path = `/${secretsService.fullName.slice(1)}/${method.name}`;
      const known = [GRANTED.name, HIDDEN.name, "fuzz-svc", "other-svc"];
      const tally = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(callerArb, wireArb(requestType, known), async (caller, wire) => {
          check(method.name, caller, await invoke(path, Boolean(method.responseStream), wire.bytes, metadataFor(caller)), tally);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      console.log(`${method.name}: ${[...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
      // A fuzz that only ever met the first check (say, every call refused for its token) tests nothing.
      expect(tally.size, "distinct outcomes").toBeGreaterThanOrEqual(4);
    });
  }

  it("still serves, logs no value or token, and the audit chain verifies", async () => {
    const md = new Metadata();
    md.set("authorization", `Bearer ${tokens.approved}`);
    const ok = await unary<{ name: string; description: string }, { value: string }>(t.client.getSecret.bind(t.client), { name: GRANTED.name, description: "test" }, md);
    expect(ok.res?.value).toBe(GRANTED.value);
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });
    for (const leak of [GRANTED.value, HIDDEN.value, ...secrets]) expect(t.logs()).not.toContain(leak);
  });
});
