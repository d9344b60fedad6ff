import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  externalKeyFingerprint,
  externalMasterKey,
  externalMasterKeySettings,
  kekFromKey,
  localMasterKey,
  masterKeyFingerprint,
  masterKeySource,
  type ExternalKeyOps,
} from "../src/index.js";

/** A key service in memory: AES-GCM with the context as AAD, as KMS binds its encryption context. */
function memoryService(identity: string, fail?: () => Error): ExternalKeyOps {
  const key = randomBytes(32);
  const aad = (context: Record<string, string>) => Buffer.from(JSON.stringify(context));
  return {
    kind: "aws-kms",
    identity,
    async encrypt(plaintext, context) {
      if (fail) throw fail();
      const nonce = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, nonce).setAAD(aad(context));
      const body = Buffer.concat([c.update(plaintext), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    async decrypt(blob, context) {
      if (fail) throw fail();
      const d = createDecipheriv("aes-256-gcm", key, blob.subarray(0, 12)).setAAD(aad(context));
      d.setAuthTag(blob.subarray(blob.length - 16));
      return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
    },
  };
}

describe("MasterKeySource", () => {
  it("local: wraps a KEK bound to its id, fingerprint is the key's check value, the legacy KEK is the key itself", async () => {
    const key = randomBytes(32);
    const source = localMasterKey(key, "env");
    expect(source.fingerprint).toBe(masterKeyFingerprint(key));
    const kek = kekFromKey(randomBytes(32));
    const wrapped = await source.wrapKek(kek);
    expect(wrapped.includes(kek.key)).toBe(false);
    expect((await source.unwrapKek(kek.id, wrapped)).key.equals(kek.key)).toBe(true);
    await expect(source.unwrapKek(kekFromKey(randomBytes(32)).id, wrapped)).rejects.toThrow(/decryption failed/);
    expect(source.legacyKek!().id).toBe(kekFromKey(key).id);
    expect(source.describe()).toBe(`env KEYWARD_MASTER_KEY (${source.fingerprint})`);
  });

  it("external: fingerprint from the identity, errors name the source, a blob swapped to another KEK id is refused", async () => {
    const source = externalMasterKey(memoryService("arn:aws:kms:eu-west-1:1:key/a"));
    expect(source.fingerprint).toBe(externalKeyFingerprint("aws-kms", "arn:aws:kms:eu-west-1:1:key/a"));
    expect(source.legacyKek).toBeUndefined();
    const a = kekFromKey(randomBytes(32));
    const b = kekFromKey(randomBytes(32));
    const wrappedA = await source.wrapKek(a);
    expect((await source.unwrapKek(a.id, wrappedA)).key.equals(a.key)).toBe(true);
    const swapped = (await source.unwrapKek(b.id, wrappedA).catch((e: Error) => e)) as Error;
    expect(swapped.message).toMatch(new RegExp(`the master key \\(aws-kms key arn:aws:kms:eu-west-1:1:key/a \\(mk_[0-9a-f]{16}\\)\\) could not unwrap KEK ${b.id}`));
    expect(await source.health()).toMatchObject({ status: "ok" });

    const down = externalMasterKey(memoryService("k", () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { name: "TimeoutError" })));
    await expect(down.wrapKek(a)).rejects.toThrow(/aws-kms key k \(mk_[0-9a-f]{16}\)\) could not wrap KEK kek_[0-9a-f]{16}: TimeoutError: connect ECONNREFUSED/);
    const health = await down.health();
    expect(health.status).toBe("unavailable");
    expect(health.summary).toMatch(/the master key \(aws-kms key k \(mk_[0-9a-f]{16}\)\) failed a probe: TimeoutError: connect ECONNREFUSED/);
    expect(health.summary).not.toContain(a.key.toString("base64"));
  });

  it("masterKeySource: KEYWARD_MASTER_KEY_SOURCE chooses; other sources' variables beside it are refused by name", () => {
    const key = randomBytes(32).toString("base64");
    expect(masterKeySource({})).toBe("file");
    expect(masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit" })).toBe("vault-transit");
    expect(masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "env", KEYWARD_MASTER_KEY: key })).toBe("env");
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "aws-kms", KEYWARD_MASTER_KEY: key })).toThrow(/KEYWARD_MASTER_KEY is set, but KEYWARD_MASTER_KEY_SOURCE is aws-kms/);
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "file", KEYWARD_MASTER_PASSPHRASE: "a long passphrase" })).toThrow(/KEYWARD_MASTER_PASSPHRASE is set, but KEYWARD_MASTER_KEY_SOURCE is file/);
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "passphrase" })).toThrow(/KEYWARD_MASTER_PASSPHRASE is not set/);
    // Blank is unset, as loadServiceConfig reads it: spaces are never taken for a passphrase.
    expect(masterKeySource({ KEYWARD_MASTER_PASSPHRASE: "              " })).toBe("file");
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "passphrase", KEYWARD_MASTER_PASSPHRASE: "  \t " })).toThrow(/KEYWARD_MASTER_PASSPHRASE is not set/);
    expect(() => masterKeySource({ KEYWARD_MASTER_KEY_SOURCE: "hsm" })).toThrow(/must be one of file, env, passphrase, aws-kms, azure-key-vault, vault-transit \(got "hsm"\)/);
  });

  it("externalMasterKeySettings: defaults and fallbacks; every problem named at once", () => {
    expect(externalMasterKeySettings({})).toBeUndefined();
    expect(externalMasterKeySettings({ KEYWARD_MASTER_KEY_SOURCE: "aws-kms", KEYWARD_AWS_KMS_KEY_ID: "alias/k", AWS_REGION: "us-east-1" })).toEqual({ kind: "aws-kms", keyId: "alias/k", region: "us-east-1" });
    expect(externalMasterKeySettings({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", VAULT_ADDR: "https://vault:8200/", VAULT_TOKEN: "t", KEYWARD_VAULT_TRANSIT_KEY: "k" })).toEqual({
      kind: "vault-transit",
      address: "https://vault:8200",
      token: "t",
      mount: "transit",
      key: "k",
    });
    const error = (() => {
      try {
        externalMasterKeySettings({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_ADDR: "ftp://x", KEYWARD_VAULT_TOKEN: "secret-token-value" });
      } catch (e) {
        return e as Error & { field?: string };
      }
    })();
    expect(error?.message).toMatch(/KEYWARD_VAULT_ADDR must be an https URL \(got "ftp:\/\/x"\)\n  - KEYWARD_VAULT_TRANSIT_KEY is missing/);
    expect(error?.field).toBe("KEYWARD_VAULT_ADDR");
    expect(error?.message).not.toContain("secret-token-value");
    expect(() => externalMasterKeySettings({ KEYWARD_MASTER_KEY_SOURCE: "vault-transit", KEYWARD_VAULT_ADDR: "http://admin:pw-in-url@vault.example.com:8200", KEYWARD_VAULT_TOKEN: "t", KEYWARD_VAULT_TRANSIT_KEY: "k" })).toThrow(
      /KEYWARD_VAULT_ADDR must not contain a user or password; give credentials in their own variables$/,
    );
  });
});
