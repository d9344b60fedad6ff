import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { connectPostgres, createSecretStub, readSecretValue, registerServiceToken, setSecretValue, type KeywardDatabase } from "../src/index.js";
import { freshPostgresWithUrl } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-06-07T08:09:10.000Z");
const opened: KeywardDatabase[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

describe("several replicas on one PostgreSQL", () => {
  it("concurrent check-and-set writers from two connections: exactly one wins, the others get a clear conflict", async () => {
    const { database: a, url } = await freshPostgresWithUrl();
    const b = connectPostgres(url, { max: 4 });
    opened.push(a, b);
    await createSecretStub(a.db, { environmentId: await defaultEnvironmentId(a.db), name: "CAS_KEY", description: "", requestedBy: "t", at });
    await setSecretValue(a.db, envelope, { environmentId: await defaultEnvironmentId(a.db), name: "CAS_KEY", value: "v1", actor: "t", at });
    for (let round = 1; round <= 5; round++) {
      const writers = [a, b, a, b].map(async (d, i) => setSecretValue(d.db, envelope, { environmentId: await defaultEnvironmentId(d.db), name: "CAS_KEY", value: `round-${round}-writer-${i}`, actor: `w${i}`, at, expectedVersion: round }));
      const results = await Promise.all(writers);
      const winners = results.filter((r) => r.kind === "ok");
      expect(winners, `round ${round}`).toEqual([{ kind: "ok", secretId: expect.any(String), version: round + 1 }]);
      expect(results.filter((r) => r.kind === "version_conflict")).toEqual(Array(3).fill({ kind: "version_conflict", currentVersion: round + 1 }));
      const winner = results.findIndex((r) => r.kind === "ok");
      expect(await readSecretValue(b.db, envelope, { environmentId: await defaultEnvironmentId(b.db), name: "CAS_KEY" })).toEqual({ kind: "ok", value: `round-${round}-writer-${winner}`, version: round + 1 });
    }
  });

  it("unique constraints, not memory, stop duplicates across connections", async () => {
    const { database: a, url } = await freshPostgresWithUrl();
    const b = connectPostgres(url, { max: 4 });
    opened.push(a, b);
    const stubs = await Promise.all([a, b, a, b].map(async (d, i) => createSecretStub(d.db, { environmentId: await defaultEnvironmentId(d.db), name: "RACE", description: `by ${i}`, requestedBy: `r${i}`, at })));
    expect(new Set(stubs.map((s) => s.secret.id)).size).toBe(1);
    expect(stubs.filter((s) => s.created)).toHaveLength(1);
    const tokens = await Promise.all([a, b].map(async (d) => registerServiceToken(d.db, { environmentId: await defaultEnvironmentId(d.db), tokenHash: "ab".repeat(32), serviceName: "svc", serviceVersion: "1", at })));
    expect(tokens.filter((t) => t.created)).toHaveLength(1);
    expect(tokens[0]!.token.id).toBe(tokens[1]!.token.id);
  });
});
