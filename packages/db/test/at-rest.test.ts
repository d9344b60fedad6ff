import { defaultEnvironmentId } from "../src/testing.js";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN_PREFIX, generateToken, hashToken, SERVICE_TOKEN_PREFIX } from "@keyward/common";
import {
  appendAudit,
  createAdminKey,
  createKeyringEnvelope,
  createSecretStub,
  ensureAccessRequest,
  openKeyring,
  registerServiceToken,
  rotateKek,
  setSecretValue,
  type KeywardDatabase,
} from "../src/index.js";
import { backends } from "./harness.js";

const at = new Date("2026-04-05T06:07:08.000Z");
let open: KeywardDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Every encoding a secret could hide in: raw bytes, hex (both cases), base64 and base64url. */
function encodings(secret: Buffer): string[] {
  return [secret.toString("latin1"), secret.toString("hex"), secret.toString("hex").toUpperCase(), secret.toString("base64"), secret.toString("base64url")]
    // A short prefix would match by chance; each needle is long enough to be meaningful.
    .filter((s) => s.length >= 8);
}

describe.each(backends)("nothing readable at rest on %s", (_kind, fresh) => {
  it("a dump of every table holds no value, token, master key or KEK, in any encoding", async () => {
    const database = (open = await fresh());
    const { db } = database;
    const master = randomBytes(32);
    const auditKey = randomBytes(32);
    const change = { auditKey, actor: "ops", at };
    const envelope = await createKeyringEnvelope(db, master, change);
    const values = ["sk_live_plaintext_value_1", "p@ssw0rd-with-unicode-✓", "x".repeat(300)];
    for (const [i, value] of values.entries()) {
      await createSecretStub(db, { environmentId: await defaultEnvironmentId(db), name: `AT_REST_${i}`, description: "", requestedBy: "t", at });
      await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: `AT_REST_${i}`, value, actor: "admin", at });
    }
    await rotateKek(db, master, change);
    await setSecretValue(db, envelope, { environmentId: await defaultEnvironmentId(db), name: "AT_REST_0", value: "sk_live_after_rotation", actor: "admin", at });
    const keyring = await openKeyring(db, master, change);
    const serviceToken = generateToken(SERVICE_TOKEN_PREFIX);
    const adminToken = generateToken(ADMIN_TOKEN_PREFIX);
    await registerServiceToken(db, { environmentId: await defaultEnvironmentId(db), tokenHash: hashToken(serviceToken), serviceName: "billing", serviceVersion: "1", at });
    await createAdminKey(db, { name: "ops", role: "owner", keyHash: hashToken(adminToken), actor: "system", at });
    await ensureAccessRequest(db, { environmentId: await defaultEnvironmentId(db), secretName: "AT_REST_0", serviceName: "billing", at });
    await appendAudit(db, auditKey, { at, actor_type: "service", actor_id: "billing", action: "secret.read", target: "secret:AT_REST_0", result: "ok" });

    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(["secrets", "secret_versions", "service_tokens", "access_requests", "audit_log", "admin_api_keys", "encryption_keys", "master_key_settings"]));
    // Text columns as JSON; bytea columns kept as raw bytes, searched byte for byte.
    let dump = "";
    const blobs: Buffer[] = [];
    let dumpedRows = 0;
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
      dumpedRows += rows.rows.length;
      // (Before JSON.stringify: it would turn a pg Buffer into {type, data} ahead of any replacer.)
      const textOnly = rows.rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => {
            if (!(v instanceof Uint8Array)) return [k, v];
            blobs.push(Buffer.from(v));
            return [k, "<bytea>"];
          }),
        ),
      );
      dump += JSON.stringify(textOnly) + "\n";
    }
    expect(dumpedRows).toBeGreaterThan(15);
    // The dump is real: names and token hashes are stored in clear, and ciphertexts are among the blobs.
    expect(dump).toContain("AT_REST_0");
    expect(dump).toContain(hashToken(serviceToken));
    const someCiphertext = await db.selectFrom("secret_versions").select("ciphertext").limit(1).executeTakeFirstOrThrow();
    expect(blobs.some((b) => b.equals(Buffer.from(someCiphertext.ciphertext)))).toBe(true);
    const found = (secret: Buffer) => encodings(secret).some((form) => dump.includes(form) || blobs.some((b) => b.includes(Buffer.from(form, "latin1")))) || blobs.some((b) => b.includes(secret));

    const needles: [string, Buffer][] = [
      ...values.map((v, i) => [`value ${i}`, Buffer.from(v, "utf8")] as [string, Buffer]),
      ["value after rotation", Buffer.from("sk_live_after_rotation")],
      ["service token", Buffer.from(serviceToken)],
      ["admin token", Buffer.from(adminToken)],
      ["master key", master],
      ["audit key", auditKey],
      ...[keyring.active, ...keyring.others].map((k) => [`KEK ${k.id}`, k.key] as [string, Buffer]),
    ];
    expect(keyring.others).toHaveLength(1);
    for (const [what, secret] of needles) expect(found(secret), `${what} found in the dump`).toBe(false);
    // And the search works: a blob's own bytes are found.
    expect(found(Buffer.from(someCiphertext.ciphertext).subarray(0, 16))).toBe(true);
    // The token part after the prefix, on its own, is not there either.
    expect(dump.includes(serviceToken.slice(4))).toBe(false);
  });
});
