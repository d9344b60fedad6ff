import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, hashToken, kekFromKey } from "@keyward/common";
import { getAccessRequest, getSecretByName, getServiceTokenByHash, listSecrets, readSecretValue, setSecretValue, type KeywardDatabase } from "../src/index.js";
import { seedScale } from "../src/testing.js";
import { freshPglite } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });

describe("seedScale", () => {
  let kdb: KeywardDatabase | undefined;
  afterEach(async () => kdb?.close());

  it("writes rows the normal queries read back: values decrypt, tokens are approved, grants are granted", async () => {
    kdb = await freshPglite();
    const { db } = kdb;
    // A batch size that does not divide the row counts, so several statements and a short last one run.
    const seed = await seedScale(db, envelope, { secrets: 50, tokens: 7, grantsPerToken: 5, batchSize: 16 });
    expect(seed.secretNames).toHaveLength(50);
    expect(new Set(seed.values).size).toBe(50);

    for (const [i, name] of seed.secretNames.entries()) {
      expect(await readSecretValue(db, envelope, { environmentId: seed.environmentId, name })).toEqual({ kind: "ok", value: seed.values[i], version: 1 });
    }
    expect(await getSecretByName(db, { environmentId: seed.environmentId, name: seed.secretNames[3]! })).toMatchObject({ status: "active", current_version: 1, description: `scale seed ${seed.secretNames[3]}` });

    for (const t of seed.tokens) {
      const row = await getServiceTokenByHash(db, hashToken(t.token));
      expect(row).toMatchObject({ status: "approved", service_name: t.serviceName, environment_id: seed.environmentId, environment: "development" });
      expect(t.grants).toHaveLength(5);
      for (const i of t.grants) {
        expect(await getAccessRequest(db, { environmentId: seed.environmentId, secretName: seed.secretNames[i]!, serviceName: t.serviceName })).toMatchObject({ status: "granted" });
      }
    }
    // Token 0 holds secrets 0–4, so secret 10 is not granted to it.
    expect(seed.tokens[0]!.grants).toEqual([0, 1, 2, 3, 4]);
    expect(await getAccessRequest(db, { environmentId: seed.environmentId, secretName: seed.secretNames[10]!, serviceName: seed.tokens[0]!.serviceName })).toBeUndefined();

    const counts = await Promise.all((["secrets", "secret_definitions", "secret_versions", "service_tokens", "access_requests", "audit_log"] as const).map(async (t) => [t, Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n)]));
    expect(Object.fromEntries(counts)).toEqual({ secrets: 50, secret_definitions: 50, secret_versions: 50, service_tokens: 7, access_requests: 35, audit_log: 0 });

    // The normal write path carries on from a seeded row.
    expect(await setSecretValue(db, envelope, { environmentId: seed.environmentId, name: seed.secretNames[0]!, value: "next", actor: "test", at: new Date() })).toMatchObject({ kind: "ok", version: 2 });
    expect(await readSecretValue(db, envelope, { environmentId: seed.environmentId, name: seed.secretNames[0]! })).toMatchObject({ kind: "ok", value: "next", version: 2 });
    // Keyset pages of the admin list see every seeded secret once.
    const first = await listSecrets(db, { environmentId: seed.environmentId, limit: 30 });
    const second = await listSecrets(db, { environmentId: seed.environmentId, limit: 30, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((s) => s.name)).toEqual(seed.secretNames);
    expect(second.nextCursor).toBeNull();
  });

  it("names a bad option", async () => {
    kdb = await freshPglite();
    await expect(seedScale(kdb.db, envelope, { secrets: 0, tokens: 1 })).rejects.toThrow(/secrets must be a positive integer, got 0/);
    await expect(seedScale(kdb.db, envelope, { secrets: 3, tokens: 1, grantsPerToken: 4 })).rejects.toThrow(/grantsPerToken \(4\) must not exceed secrets \(3\)/);
    await expect(seedScale(kdb.db, envelope, { secrets: 3, tokens: 1, prefix: "lower" })).rejects.toThrow(/prefix must be upper-case/);
  });
});
