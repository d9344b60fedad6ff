// Fuzz: random and malformed metadata, hostile names, oversized messages and bytes that are not a
// protobuf message, each answered with the right status and reason, with no crash and no write
// other than one audit row per call. Seeded, so a failure replays.
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { generateToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import { verifyAuditChain } from "@keyward/db";
import { Reason, type GetSecretResponse, type GetSecretsResponse, type SecretRef } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, eventually, freshPglite, reasonOf, secretFor, startTestServer, tableCounts, tokenWithStatus, unary, type TestServer } from "../harness.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const printable = (len: number) => Array.from({ length: len }, () => String.fromCharCode(0x20 + int(0x5f))).join("");
const anyUnicode = (len: number) =>
  Array.from({ length: len }, () => {
    const pools = [() => int(0x80), () => 0x80 + int(0x780), () => 0x4e00 + int(0x5000), () => 0x1f300 + int(0x300), () => 0x202e, () => 0];
    return String.fromCodePoint(pools[int(pools.length)]!());
  }).join("");

let t: TestServer;
let token: string;
const VALUE = "fuzz-known-value-0123456789";

beforeAll(async () => {
  // The per-address limit is tested on its own (identity-floods.test.ts); here it would turn the
  // fuzzed refusals into rate_limited after a burst. A short audit window lets the counts be checked.
  t = await startTestServer(await freshPglite(), { peerRateLimitPerSecond: 100_000, refusalAuditWindowMs: 200 });
  ({ token } = await tokenWithStatus(t.kdb.db, "fuzz-svc", "approved"));
  await secretFor(t.kdb.db, t.envelope, { name: "FUZZ_KNOWN", serviceName: "fuzz-svc", value: VALUE, access: "granted" });
});
afterAll(async () => t?.close());

const getSecret = (name: string, md: Metadata, description = "test") =>
  unary<{ name: string; description: string }, GetSecretResponse>(t.client.getSecret.bind(t.client), { name, description }, md);
const getSecrets = (secrets: SecretRef[], md: Metadata) => unary<{ secrets: SecretRef[] }, GetSecretsResponse>(t.client.getSecrets.bind(t.client), { secrets }, md);

function randomMetadata(): Metadata {
  const md = new Metadata();
  switch (int(8)) {
    case 0:
      md.set("authorization", printable(int(200)));
      break;
    case 1:
      md.set("authorization", `Bearer ${printable(1 + int(100))}`);
      break;
    case 2:
      md.set("authorization", `Bearer kws_${printable(int(80))}`);
      break;
    case 3:
      // Node's http2 refuses two authorization headers on the client, so join them as a proxy might.
      md.set("authorization", `Bearer ${token}, Bearer ${token}`);
      break;
    case 4:
      md.set("authorization-bin", Buffer.from(printable(40)));
      break;
    case 5:
      md.set("authorization", `bearer ${token}`);
      break;
    case 6:
      md.set("authorization", `Bearer ${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
      break;
    default:
      md.set(`x-${printable(5).toLowerCase().replace(/[^a-z]/g, "a")}`, printable(int(500)));
      md.set("authorization", printable(int(3000)));
  }
  return md;
}

const HOSTILE_NAMES = [
  "",
  "x".repeat(10 * 1024),
  "A".repeat(129),
  "ÜNICODE_NAME",
  "NAME_\u0000_NUL",
  "NAME\u202eRTL",
  "🔑_KEY",
  "'; DROP TABLE secrets; --",
  "A' OR '1'='1",
  "FUZZ_KNOWN' --",
  "FUZZ_KNOWN;DELETE FROM audit_log",
  "$1",
  "%",
  "FUZZ_%",
  "fuzz_known",
  " FUZZ_KNOWN",
];

describe(`fuzz (seed ${SEED})`, () => {
  it("random and malformed metadata: UNAUTHENTICATED with a reason, nothing but audit written", async () => {
    const before = await tableCounts(t.kdb.db);
    for (let i = 0; i < 150; i++) {
      const md = randomMetadata();
      const { err, res } = await getSecret("FUZZ_KNOWN", md);
      expect(res, `case ${i} must not return the value`).toBeUndefined();
      expect([i, err?.code]).toEqual([i, status.UNAUTHENTICATED]);
      expect(["token_missing", "token_malformed", "token_unknown"]).toContain(reasonOf(err));
      expect(err?.details).not.toContain(token);
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    // Refusals of unknown callers are audited in aggregate: every one is accounted for, in far fewer rows.
    const accounted = async () => {
      const rows = await t.kdb.db.selectFrom("audit_log").select("count").where("seq", ">", before.audit_log!).execute();
      return { rows: rows.length, calls: rows.reduce((n, r) => n + (r.count ?? 1), 0) };
    };
    await eventually(async () => (await accounted()).calls === 150);
    expect((await accounted()).rows).toBeLessThan(150);
  });

  it("hostile names: INVALID_ARGUMENT invalid_name (or a per-name reason in a batch), nothing but audit written", async () => {
    const names = [...HOSTILE_NAMES, ...Array.from({ length: 40 }, () => anyUnicode(1 + int(60)))];
    const before = await tableCounts(t.kdb.db);
    for (const name of names) {
      const { err } = await getSecret(name, bearer(token));
      expect([name.slice(0, 40), err?.code, reasonOf(err)]).toEqual([name.slice(0, 40), status.INVALID_ARGUMENT, "invalid_name"]);
    }
    const unique = [...new Set(names)].slice(0, 100);
    const batch = await getSecrets(unique.map((name) => ({ name, description: "" })), bearer(token));
    expect(batch.res?.results.map((r) => r.reason)).toEqual(unique.map(() => Reason.REASON_INVALID_NAME));
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });

  it("oversized messages and batches: RESOURCE_EXHAUSTED too_large or INVALID_ARGUMENT, one audit row each, nothing else written", async () => {
    const before = await tableCounts(t.kdb.db);
    const huge = await getSecret("A".repeat(100 * 1024), bearer(token));
    expect([huge.err?.code, reasonOf(huge.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const hugeDescription = await getSecret("FUZZ_NEW_SECRET", bearer(token), "d".repeat(70 * 1024));
    expect([hugeDescription.err?.code, reasonOf(hugeDescription.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const bigBatch = await getSecrets(Array.from({ length: 100 }, (_, i) => ({ name: `N${i}_${"X".repeat(1000)}`, description: "" })), bearer(token));
    expect([bigBatch.err?.code, reasonOf(bigBatch.err)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const hugeWatch = await new Promise<ServiceError>((resolve) => t.client.watchSecrets({ names: Array.from({ length: 100 }, (_, i) => `W${i}_${"X".repeat(1000)}`) }, bearer(token)).on("error", resolve));
    expect([hugeWatch.code, reasonOf(hugeWatch)]).toEqual([status.RESOURCE_EXHAUSTED, "too_large"]);
    const tooMany = await getSecrets(Array.from({ length: 500 }, (_, i) => ({ name: `N_${i}`, description: "" })), bearer(token));
    expect([tooMany.err?.code, reasonOf(tooMany.err)]).toEqual([status.INVALID_ARGUMENT, "invalid_argument"]);
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(before.audit_log! + 5);
    const rows = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "action", "target", "reason"]).where("reason", "=", "too_large").orderBy("seq").execute();
    expect(rows.map((r) => [r.action, r.target, r.reason])).toEqual([
      ["secret.read", "request", "too_large"],
      ["secret.read", "request", "too_large"],
      ["secret.read", "request", "too_large"],
      ["secret.watch", "request", "too_large"],
    ]);
    expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set([expect.stringMatching(/^fuzz-svc#/)]));
  });

  it("garbage bytes instead of a protobuf message: INVALID_ARGUMENT invalid_argument (or an ordinary answer), one audit row each, nothing else written", async () => {
    const before = await tableCounts(t.kdb.db);
    let undecodable = 0;
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256)));
      const err = await new Promise<ServiceError | null>((resolve) =>
        t.client.makeUnaryRequest(
          "/keyward.secrets.v1.SecretsService/GetSecret",
          (b: Buffer) => b,
          (b: Buffer) => b,
          bytes,
          bearer(token),
          (e) => resolve(e),
        ),
      );
      // Bytes that happen to parse are an ordinary (refused or invalid) call; the rest fail to parse
      // and are refused before any handler runs. Either way the answer carries a reason.
      expect([i, err?.code]).not.toEqual([i, status.INTERNAL]);
      if (err) {
        expect([status.INVALID_ARGUMENT, status.NOT_FOUND, status.PERMISSION_DENIED]).toContain(err.code);
        expect(reasonOf(err)).toBeTruthy();
        if (err.details.includes("not a valid GetSecret request message")) {
          expect(reasonOf(err)).toBe("invalid_argument");
          undecodable++;
        }
      }
    }
    // Garbage that is not a protobuf message for every byte pattern above is vanishingly unlikely.
    expect(undecodable).toBeGreaterThan(0);
    // A message that can never parse (a length-delimited field running past the end), three times.
    for (let i = 0; i < 3; i++) {
      const err = await new Promise<ServiceError | null>((resolve) =>
        t.client.makeUnaryRequest("/keyward.secrets.v1.SecretsService/GetSecret", (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0x7f, 0x41]), bearer(token), (e) => resolve(e)),
      );
      expect([err?.code, reasonOf(err)]).toEqual([status.INVALID_ARGUMENT, "invalid_argument"]);
    }
    const after = await tableCounts(t.kdb.db);
    expect({ ...after, audit_log: 0, secrets: 0, access_requests: 0 }).toEqual({ ...before, audit_log: 0, secrets: 0, access_requests: 0 });
    expect(after.audit_log).toBe(before.audit_log! + 23);
    const refused = await t.kdb.db.selectFrom("audit_log").select(["actor_id", "target", "result"]).where("target", "=", "request").where("reason", "=", "invalid_argument").execute();
    expect(refused.length).toBe(undecodable + 3);
    expect(refused.every((r) => r.actor_id.startsWith("fuzz-svc#") && r.result === "refused")).toBe(true);
  });

  it("still serves after all that, and the audit chain verifies", async () => {
    const ok = await getSecret("FUZZ_KNOWN", bearer(token));
    expect(ok.res).toEqual({ name: "FUZZ_KNOWN", value: VALUE, version: 1 });
    expect(await verifyAuditChain(t.kdb.db, t.auditKey)).toMatchObject({ ok: true });
    expect(t.logs()).not.toContain(token);
    expect(t.logs()).not.toContain(VALUE);
    expect(generateToken(SERVICE_TOKEN_PREFIX)).not.toBe(token);
  });
});
