import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import {
  createEnvironment,
  createSecret,
  createSecretStub,
  deleteEnvironment,
  deleteSecret,
  ensureAccessRequest,
  getAccessRequest,
  getDefaultEnvironment,
  getEnvironmentByName,
  getSecretByName,
  listEnvironments,
  listSecrets,
  readSecretValue,
  registerServiceToken,
  renameEnvironment,
  updateEnvironment,
  countEnvironmentContents,
  setSecretValue,
  updateSecretMetadata,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-05-06T07:08:09.000Z");

describe.each(backends)("environments on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  const setUp = async () => {
    open = await fresh();
    const db = open.db;
    const dev = (await getEnvironmentByName(db, "development"))!.id;
    const prod = (await getEnvironmentByName(db, "production"))!.id;
    return { db, dev, prod };
  };

  it("creates, renames and lists environments; names are slugs and unique", async () => {
    const { db } = await setUp();
    expect((await getDefaultEnvironment(db)).name).toBe("development");
    const qa = await createEnvironment(db, { name: "qa", actor: "admin:1", at });
    expect(qa).toMatchObject({ kind: "ok", environment: { name: "qa", protected: false, is_default: false, position: 3, created_by: "admin:1" } });
    expect(await createEnvironment(db, { name: "qa", actor: "admin:1", at })).toEqual({ kind: "exists" });
    for (const bad of ["QA", "", "1qa", "qa_1", "q a", "x".repeat(64)]) expect(await createEnvironment(db, { name: bad, actor: "a", at })).toEqual({ kind: "invalid_name" });
    expect(await renameEnvironment(db, { name: "qa", newName: "staging" })).toEqual({ kind: "exists" });
    expect(await renameEnvironment(db, { name: "nope", newName: "x" })).toEqual({ kind: "not_found" });
    expect(await renameEnvironment(db, { name: "qa", newName: "Bad" })).toEqual({ kind: "invalid_name" });
    expect(await renameEnvironment(db, { name: "qa", newName: "preview" })).toMatchObject({ kind: "ok", environment: { name: "preview" } });
    expect((await listEnvironments(db)).map((e) => e.name)).toEqual(["development", "staging", "production", "preview"]);
  });

  it("keeps one definition and separate values, versions and grants per environment", async () => {
    const { db, dev, prod } = await setUp();
    await createSecret(db, { environmentId: dev, name: "API_KEY", description: "the key", type: "api_key", actor: "a", at });
    expect(await createSecret(db, { environmentId: dev, name: "API_KEY", actor: "a", at })).toEqual({ kind: "exists" });
    // The definition is shared: production's row gets it, and a stub's wording does not change it.
    await createSecretStub(db, { environmentId: prod, name: "API_KEY", description: "other wording", requestedBy: "svc", at });
    expect(await getSecretByName(db, { environmentId: prod, name: "API_KEY" })).toMatchObject({ description: "the key", type: "api_key", status: "stub" });
    await setSecretValue(db, envelope, { environmentId: dev, name: "API_KEY", value: "dev-value", actor: "a", at });
    await setSecretValue(db, envelope, { environmentId: prod, name: "API_KEY", value: "prod-value", actor: "a", at });
    await setSecretValue(db, envelope, { environmentId: prod, name: "API_KEY", value: "prod-value-2", actor: "a", at });
    expect(await readSecretValue(db, envelope, { environmentId: dev, name: "API_KEY" })).toEqual({ kind: "ok", value: "dev-value", version: 1 });
    expect(await readSecretValue(db, envelope, { environmentId: prod, name: "API_KEY" })).toEqual({ kind: "ok", value: "prod-value-2", version: 2 });
    // A ciphertext copied from one environment's row to the other's does not open (the row id is in the AAD).
    const devRow = (await getSecretByName(db, { environmentId: dev, name: "API_KEY" }))!;
    const prodRow = (await getSecretByName(db, { environmentId: prod, name: "API_KEY" }))!;
    const devV1 = await db.selectFrom("secret_versions").selectAll().where("secret_id", "=", devRow.id).executeTakeFirstOrThrow();
    await db.updateTable("secret_versions").set({ ciphertext: devV1.ciphertext, wrapped_key: devV1.wrapped_key }).where("secret_id", "=", prodRow.id).where("version", "=", 1).execute();
    expect(await readSecretValue(db, envelope, { environmentId: prod, name: "API_KEY", version: 1 })).toMatchObject({ kind: "integrity" });

    await updateSecretMetadata(db, { name: "API_KEY", description: "shared", actor: "b", at });
    expect((await getSecretByName(db, { environmentId: dev, name: "API_KEY" }))?.description).toBe("shared");
    expect((await listSecrets(db, { environmentId: prod, q: "shared" })).items.map((s) => s.name)).toEqual(["API_KEY"]);

    const { request } = await ensureAccessRequest(db, { environmentId: dev, secretName: "API_KEY", serviceName: "billing", at });
    expect(await getAccessRequest(db, { environmentId: prod, secretName: "API_KEY", serviceName: "billing" })).toBeUndefined();
    expect((await ensureAccessRequest(db, { environmentId: prod, secretName: "API_KEY", serviceName: "billing", at })).request.id).not.toBe(request.id);

    // Deleting in one environment leaves the other and the definition; deleting the last row removes the definition.
    expect(await deleteSecret(db, { environmentId: dev, name: "API_KEY", actor: "a", at })).toBe(true);
    expect(await readSecretValue(db, envelope, { environmentId: prod, name: "API_KEY" })).toMatchObject({ kind: "ok", value: "prod-value-2" });
    expect(await db.selectFrom("secret_definitions").select("name").execute()).toEqual([{ name: "API_KEY" }]);
    expect(await deleteSecret(db, { environmentId: prod, name: "API_KEY", actor: "a", at })).toBe(true);
    expect(await db.selectFrom("secret_definitions").select("name").execute()).toEqual([]);
  });

  it("refuses to delete the default environment, and one with values without confirm", async () => {
    const { db, prod } = await setUp();
    expect(await deleteEnvironment(db, { name: "development", confirm: true })).toEqual({ kind: "is_default" });
    expect(await deleteEnvironment(db, { name: "nope" })).toEqual({ kind: "not_found" });
    await createSecretStub(db, { environmentId: prod, name: "K", description: "", requestedBy: "svc", at });
    await registerServiceToken(db, { environmentId: prod, tokenHash: "ab".repeat(32), serviceName: "svc", serviceVersion: "1", at });
    expect(await deleteEnvironment(db, { name: "staging" })).toMatchObject({ kind: "ok" });
    // A live token is held; a stub alone would not be (services re-create stubs by asking).
    expect(await deleteEnvironment(db, { name: "production" })).toEqual({ kind: "not_empty", counts: { values: 0, stubs: 1, tokens: 1, grants: 0 } });
    await setSecretValue(db, envelope, { environmentId: prod, name: "K", value: "v", actor: "a", at });
    expect(await deleteEnvironment(db, { name: "production" })).toEqual({ kind: "not_empty", counts: { values: 1, stubs: 0, tokens: 1, grants: 0 } });
    expect(await deleteEnvironment(db, { name: "production", confirm: true })).toMatchObject({ kind: "ok" });
    expect(await db.selectFrom("secrets").select("id").execute()).toEqual([]);
    expect(await db.selectFrom("secret_versions").select("version").execute()).toEqual([]);
    expect(await db.selectFrom("service_tokens").select("id").execute()).toEqual([]);
    expect((await listEnvironments(db)).map((e) => e.name)).toEqual(["development"]);
  });

  it("updates the name, the protected flag and the default in one step; there is always one default", async () => {
    const { db, dev, prod } = await setUp();
    expect(await updateEnvironment(db, { name: "staging", newName: "production" })).toEqual({ kind: "exists" });
    expect(await updateEnvironment(db, { name: "staging", newName: "Bad" })).toEqual({ kind: "invalid_name" });
    expect(await updateEnvironment(db, { name: "nope", protected: true })).toEqual({ kind: "not_found" });
    expect(await updateEnvironment(db, { name: "development", default: false })).toEqual({ kind: "default_required" });
    const moved = await updateEnvironment(db, { name: "production", newName: "prod", protected: false, default: true });
    expect(moved).toMatchObject({ kind: "ok", environment: { id: prod, name: "prod", protected: false, is_default: true }, before: { name: "production", protected: true, is_default: false } });
    expect((await getDefaultEnvironment(db)).id).toBe(prod);
    expect((await db.selectFrom("environments").select("id").where("is_default", "=", true).execute()).map((e) => e.id)).toEqual([prod]);
    expect((await getEnvironmentByName(db, "development"))!.id).toBe(dev);
  });

  it("counts values, stubs, live tokens and grants per environment", async () => {
    const { db, dev, prod } = await setUp();
    await createSecretStub(db, { environmentId: dev, name: "A", description: "", requestedBy: "svc", at });
    await createSecret(db, { environmentId: prod, name: "A", actor: "a", at });
    await setSecretValue(db, envelope, { environmentId: prod, name: "A", value: "v", actor: "a", at });
    await registerServiceToken(db, { environmentId: prod, tokenHash: "cd".repeat(32), serviceName: "svc", serviceVersion: "1", at });
    await ensureAccessRequest(db, { environmentId: prod, secretName: "A", serviceName: "svc", at });
    const counts = await countEnvironmentContents(db);
    expect(counts.get(dev)).toEqual({ values: 0, stubs: 1, tokens: 0, grants: 0 });
    expect(counts.get(prod)).toEqual({ values: 1, stubs: 0, tokens: 1, grants: 1 });
    expect((await countEnvironmentContents(db, dev)).get(prod)).toBeUndefined();
  });
});
