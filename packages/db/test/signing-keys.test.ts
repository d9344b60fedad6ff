import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createEnvelope, kekFromKey } from "@keyward/common";
import {
  createSecretStub,
  createSigningKey,
  listEnvironments,
  listSigningKeys,
  promoteSecretValue,
  readSecretValue,
  readSigningKeyMaterial,
  retireSigningKeyVersions,
  rollbackSecret,
  rotateSigningKey,
  setSecretEnabled,
  setSecretValue,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const envelope = createEnvelope({ active: kekFromKey(randomBytes(32)) });
const at = new Date("2026-03-04T05:06:07.000Z");

describe.each(backends)("signing keys on %s", (_kind, fresh) => {
  let open: KeywardDatabase | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it("creates, rotates and retires versions; material is sealed and read only as a signing key", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    const made = await createSigningKey(db, envelope, { environmentId, name: "ISSUANCE", algorithm: "ed25519", description: "service accounts", actor: "admin", at });
    expect(made).toMatchObject({ kind: "ok", key: { name: "ISSUANCE", algorithm: "ed25519", current_version: 1, status: "active", min_version: 1 } });
    const v1 = await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE" });
    expect(v1).toMatchObject({ kind: "ok", algorithm: "ed25519", version: 1 });
    // The ciphertext is not the material.
    const stored = await db.selectFrom("secret_versions").select("ciphertext").execute();
    const material = v1.kind === "ok" ? v1.material : "";
    expect(Buffer.concat(stored.map((r) => Buffer.from(r.ciphertext))).includes(Buffer.from(material, "base64"))).toBe(false);

    expect(await rotateSigningKey(db, envelope, { environmentId, name: "ISSUANCE", actor: "admin", at })).toEqual({ kind: "ok", version: 2 });
    const v2 = await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE" });
    expect(v2).toMatchObject({ kind: "ok", version: 2 });
    expect(v2.kind === "ok" && v2.material).not.toBe(material);
    expect(await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE", version: 1 })).toMatchObject({ kind: "ok", version: 1, material });
    expect(await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE", version: 3 })).toEqual({ kind: "retired", algorithm: "ed25519" });

    const [listed] = await listSigningKeys(db, envelope, { environmentId });
    expect(listed).toMatchObject({ name: "ISSUANCE", algorithm: "ed25519", currentVersion: 2, minVersion: 1, description: "service accounts" });
    expect(listed!.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(listed!.versions.every((v) => typeof v.publicKey === "string" && Buffer.from(v.publicKey, "base64").length === 32)).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(material);

    expect(await retireSigningKeyVersions(db, { environmentId, name: "ISSUANCE", below: 3 })).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/current version cannot be retired/) });
    expect(await retireSigningKeyVersions(db, { environmentId, name: "ISSUANCE", below: 2 })).toEqual({ kind: "ok", minVersion: 2 });
    expect(await retireSigningKeyVersions(db, { environmentId, name: "ISSUANCE", below: 1 })).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/cannot be undone/) });
    expect(await retireSigningKeyVersions(db, { environmentId, name: "NOPE", below: 1 })).toEqual({ kind: "not_found" });
    expect(await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE", version: 1 })).toEqual({ kind: "retired", algorithm: "ed25519" });

    expect(await setSecretEnabled(db, { environmentId, name: "ISSUANCE", enabled: false, actor: "admin", at })).toBe(true);
    expect(await readSigningKeyMaterial(db, envelope, { environmentId, name: "ISSUANCE" })).toEqual({ kind: "disabled", algorithm: "ed25519" });
    expect(await rotateSigningKey(db, envelope, { environmentId, name: "ISSUANCE", actor: "admin", at })).toEqual({ kind: "disabled" });
    expect(await rotateSigningKey(db, envelope, { environmentId, name: "NOPE", actor: "admin", at })).toEqual({ kind: "not_found" });
  });

  it("shares the secret name space, and the secret queries never read, set, roll back or promote key material", async () => {
    const { db } = (open = await fresh());
    const environmentId = await defaultEnvironmentId(db);
    await createSecretStub(db, { environmentId, name: "API_KEY", description: "k", requestedBy: "t", at });
    expect(await createSigningKey(db, envelope, { environmentId, name: "API_KEY", algorithm: "hmac-sha256", actor: "admin", at })).toEqual({ kind: "exists", as: "secret" });
    await createSigningKey(db, envelope, { environmentId, name: "WEBHOOKS", algorithm: "hmac-sha256", actor: "admin", at });
    expect(await createSigningKey(db, envelope, { environmentId, name: "WEBHOOKS", algorithm: "ed25519", actor: "admin", at })).toEqual({ kind: "exists", as: "signing_key" });
    expect(await readSigningKeyMaterial(db, envelope, { environmentId, name: "API_KEY" })).toEqual({ kind: "not_signing_key" });

    expect(await readSecretValue(db, envelope, { environmentId, name: "WEBHOOKS" })).toEqual({ kind: "signing_key" });
    expect(await readSecretValue(db, envelope, { environmentId, name: "WEBHOOKS", version: 1 })).toEqual({ kind: "signing_key" });
    expect(await setSecretValue(db, envelope, { environmentId, name: "WEBHOOKS", value: "mine", actor: "admin", at })).toEqual({ kind: "signing_key" });
    expect(await rollbackSecret(db, envelope, { environmentId, name: "WEBHOOKS", toVersion: 1, actor: "admin", at })).toEqual({ kind: "signing_key" });
    await expect(setSecretValue(db, envelope, { environmentId, name: "API_KEY", value: "x", actor: "admin", at, as: "signing_key" })).rejects.toThrow(/not a signing key/);

    const staging = (await listEnvironments(db)).find((e) => e.name === "staging")!;
    expect(await promoteSecretValue(db, envelope, { name: "WEBHOOKS", fromEnvironmentId: environmentId, toEnvironmentId: staging.id, actor: "admin", at })).toEqual({ kind: "signing_key" });
    // The other way: a secret promoted onto a signing key's name is refused too.
    await createSigningKey(db, envelope, { environmentId: staging.id, name: "API_KEY", algorithm: "hmac-sha256", actor: "admin", at });
    await setSecretValue(db, envelope, { environmentId, name: "API_KEY", value: "plain", actor: "admin", at });
    expect(await promoteSecretValue(db, envelope, { name: "API_KEY", fromEnvironmentId: environmentId, toEnvironmentId: staging.id, actor: "admin", at })).toEqual({ kind: "signing_key" });
    expect(await readSigningKeyMaterial(db, envelope, { environmentId: staging.id, name: "API_KEY" })).toMatchObject({ kind: "ok", version: 1 });
  });
});
