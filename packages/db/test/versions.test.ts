import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import { createSecretStub, listSecretVersions, readSecretValue, rollbackSecret, setSecretValue, type KeywardDatabase } from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-03-04T05:06:07.000Z");

describe.each(backends)("secret versions on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("keeps the newest N versions and reads a specific one", async () => {
    const { db } = (open = await fresh());
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", description: "k", requestedBy: "t", at });
    for (let i = 1; i <= 5; i++) await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: `v${i}`, actor: "admin", at, keepVersions: 3 });
    expect((await listSecretVersions(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" })).map((v) => v.version)).toEqual([5, 4, 3]);
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", version: 3 })).toEqual({ kind: "ok", value: "v3", version: 3 });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", version: 2 })).toEqual({ kind: "not_found" });
    await expect(setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: "x", actor: "a", at, keepVersions: 0 })).rejects.toThrow(/keepVersions/);
  });

  it("rolls back by writing the old value as a new version", async () => {
    const { db } = (open = await fresh());
    await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", description: "k", requestedBy: "t", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: "good", actor: "admin", at });
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", value: "bad", actor: "admin", at });
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", toVersion: 1, actor: "admin", at, expectedVersion: 2 })).toMatchObject({ kind: "ok", version: 3 });
    expect(await readSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY" })).toEqual({ kind: "ok", value: "good", version: 3 });
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", toVersion: 1, actor: "admin", at, expectedVersion: 2 })).toEqual({ kind: "version_conflict", currentVersion: 3 });
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "API_KEY", toVersion: 9, actor: "admin", at })).toEqual({ kind: "version_not_found", version: 9 });
    expect(await rollbackSecret(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "NOPE", toVersion: 1, actor: "admin", at })).toEqual({ kind: "not_found" });
  });
});
