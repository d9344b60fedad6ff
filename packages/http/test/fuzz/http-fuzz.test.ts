import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@keyward/common";
import { ensureAccessRequest, registerServiceToken, verifyAuditChain } from "@keyward/db";
import { defaultEnvironmentId } from "@keyward/db/testing";
import { openapiDocument } from "@keyward/spec";
import { specOperations } from "../../src/validation/operations.js";
import { backends, startApi, type Api, type CallResult } from "../harness.js";
import { FUZZ_RUNS, FUZZ_SEED, runsFor } from "./budget.js";
import { schemaAt } from "./schema-arbitrary.js";
import { requestArbitrary, type FuzzRequest, type Pools } from "./request-arbitrary.js";

// Issue #20: every operation of the bundled spec, with valid and hostile inputs built from its
// schemas, on both back-ends. No input may answer 5xx or drop the connection, and no planted secret
// value or token may appear in a response or a log. A new route in the spec is fuzzed as it is.

const operations = specOperations;
const runs = runsFor(operations.map((op) => op.parameters.length + Object.keys((op.bodyPointer ? schemaAt(op.bodyPointer).properties : undefined) ?? {}).length + (op.bodyPointer ? 1 : 0)));
console.log(`[fuzz] seed=${FUZZ_SEED} runs=${FUZZ_RUNS} per back-end over ${operations.length} operations (${Math.min(...runs)}..${Math.max(...runs)} each, by number of inputs); replay with KEYWARD_FUZZ_SEED=${FUZZ_SEED}`);

/** Every answer's status per back-end, operation and run: the back-ends must answer the same input the same way. */
const answers: Record<string, { request: string; status: number }[][]> = {};

const describeRequest = (r: FuzzRequest) => `${r.method} ${r.url.slice(0, 300)} auth=${r.auth}${r.body === undefined ? "" : ` body=${JSON.stringify(r.body.slice(0, 300))}`}`;

describe.each(backends)("spec-driven fuzz on %s", (backend) => {
  let api: Api;
  const plantedValue = `planted-value-${randomBytes(12).toString("hex")}`;
  const plantedServiceToken = `kws_${randomBytes(24).toString("base64url")}`;
  const pools: Pools = { names: [], ids: [] };
  const secrets = () => [plantedValue, plantedServiceToken, hashToken(plantedServiceToken), ...Object.values(api.tokens), ...Object.values(api.tokens).map(hashToken)];

  beforeAll(async () => {
    // The fuzzer sends far more than an admin would, all from 127.0.0.1: past the request limits a
    // 429 would answer before any input reached a handler.
    api = await startApi({ backend, http: { rateLimitPerSecond: 1_000_000, authFailuresPerMinute: 1_000_000 } });
    // Planted before fuzzing: a secret with two versions, an approved service token, and a grant.
    await replant();
    const environmentId = await defaultEnvironmentId(api.kdb.db);
    const { token } = await registerServiceToken(api.kdb.db, { environmentId, tokenHash: hashToken(plantedServiceToken), serviceName: "fuzz-svc", serviceVersion: "1.0.0", at: new Date() });
    expect((await api.call("POST", `/api/service-tokens/${token.id}/approve`)).status).toBe(200);
    const { request } = await ensureAccessRequest(api.kdb.db, { environmentId, secretName: "FUZZ_PLANTED", serviceName: "fuzz-svc", at: new Date() });
    expect((await api.call("POST", `/api/access-requests/${request.id}/approve`)).status).toBe(200);
    const pending = await registerServiceToken(api.kdb.db, { environmentId, tokenHash: hashToken(`kws_${randomBytes(24).toString("base64url")}`), serviceName: "fuzz-pending", serviceVersion: "1", at: new Date() });
    const keys = (await api.call("GET", "/api/admin-keys")).json.items as { id: string; role: string }[];
    pools.names.push("FUZZ_PLANTED", "FUZZ_OTHER", "FUZZ_MISSING");
    // Not the owner's key: revoking it would turn the rest of the run into 401s. In role order: keys
    // made in the same millisecond list by their random ids, and pool index i must be the same role on
    // both back-ends, or one revokes the operator's key where the other revokes the viewer's.
    const byRole = keys.filter((k) => k.role !== "owner").sort((x, y) => x.role.localeCompare(y.role));
    pools.ids.push(token.id, pending.token.id, request.id, ...byRole.map((k) => k.id));
  }, 120_000);
  afterAll(async () => api?.close());

  /** The planted secrets, as they were: an earlier operation's fuzzing may have deleted or disabled them. */
  async function replant() {
    for (const name of ["FUZZ_PLANTED", "FUZZ_OTHER"]) {
      const found = await api.call("GET", `/api/secrets/${name}`);
      if (found.status === 404) {
        expect((await api.call("POST", "/api/secrets", { body: { name, description: "planted", value: plantedValue } })).status).toBe(201);
        expect((await api.call("PUT", `/api/secrets/${name}/value`, { body: { value: `${plantedValue}-2` } })).status).toBe(200);
      } else if (found.json?.status === "disabled") {
        expect((await api.call("POST", `/api/secrets/${name}/enable`)).status).toBe(200);
      }
    }
    api.bodies.length = 0;
  }

  const send = (r: FuzzRequest): Promise<CallResult> => {
    const token = r.auth === "none" ? null : r.auth === "garbage" ? undefined : api.tokens[r.auth];
    return api.call(r.method, r.url, {
      token,
      ...(r.auth === "garbage" ? { headers: { authorization: "Bearer kwa_not-a-real-key" } } : {}),
      ...(r.body !== undefined ? { body: r.body, contentType: r.contentType ?? "application/json" } : {}),
    });
  };

  it("walks every operation of the bundled spec", () => {
    const inSpec = Object.values(openapiDocument.paths).flatMap((item) => Object.keys(item).filter((k) => ["get", "put", "post", "patch", "delete"].includes(k)));
    expect(operations.length).toBe(inSpec.length);
  });

  operations.forEach((op, i) => {
    const seen: { request: string; status: number }[] = [];
    (answers[backend] ??= [])[i] = seen;
    it(`${op.operationId}: ${op.method} ${op.path} never answers 5xx, drops the connection or leaks`, async () => {
      await replant();
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op, pools), async (r) => {
          let res: CallResult;
          try {
            res = await send(r);
          } catch (error) {
            // The harness checks each response against the spec; anything else is fetch giving up
            // because the connection closed before a whole response arrived.
            if (error instanceof Error && error.name === "AssertionError") throw error;
            throw new Error(`no full response to ${describeRequest(r)}: ${String(error)}`);
          }
          expect(res.status, `${describeRequest(r)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
          seen.push({ request: describeRequest(r), status: res.status });
          for (const s of secrets()) expect(res.text.includes(s), `a planted secret in the response to ${describeRequest(r)}`).toBe(false);
          // Bad input is named: every 400 says which field is wrong.
          if (res.status === 400) expect(res.json?.field, `400 without a field for ${describeRequest(r)}: ${res.text.slice(0, 300)}`).toEqual(expect.any(String));
          api.bodies.length = 0;
        }),
        { seed: (FUZZ_SEED + i) | 0, numRuns: runs[i]!, endOnFailure: true },
      );
    }, 600_000);
  });

  it("leaves no planted value or token in any log, no error logged, the service ready and the audit chain intact", async () => {
    const logs = api.logs();
    for (const s of secrets()) expect(logs.includes(s)).toBe(false);
    const errors = logs.split("\n").filter((l) => /"level":50/.test(l));
    expect(errors, errors.slice(0, 5).join("\n")).toEqual([]);
    const ready = await api.call("GET", "/readyz", { token: null });
    expect(ready.status).toBe(200);
    expect((await verifyAuditChain(api.kdb.db, api.auditKey)).ok).toBe(true);
  });
});

it("PGlite and PostgreSQL answer the same input the same way", () => {
  // The same seed gives both back-ends the same requests in the same order (ids differ, their roles do not).
  const [a, b] = backends.map((backend) => answers[backend]!);
  const differences: string[] = [];
  operations.forEach((op, i) => {
    const left = a![i]!;
    const right = b![i]!;
    expect(left.length, op.operationId).toBeGreaterThan(0);
    expect(right.length, op.operationId).toBe(left.length);
    left.forEach((answer, run) => {
      if (answer.status !== right[run]!.status) differences.push(`${answer.request}: ${backends[0]} ${answer.status}, ${backends[1]} ${right[run]!.status}`);
    });
  });
  expect(differences.slice(0, 10)).toEqual([]);
});
