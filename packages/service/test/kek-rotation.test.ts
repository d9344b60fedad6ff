import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { createKeyringEnvelope, createSecret, getDefaultEnvironment, getKeyringStatus, readSecretValue, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { kekRotationJob } from "../src/kek-rotation.js";
import { startSecretsService } from "../src/index.js";
import { tmpDir } from "./helpers.js";

const freshPglite = createPgliteTemplate();
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});
const DAY = 86_400_000;

describe("automatic KEK rotation (KEYWARD_KEK_ROTATION_DAYS)", () => {
  it("rotates once the active KEK is old enough, rewraps every data key and retires the old KEK; values still open", async () => {
    const database: KeywardDatabase = await freshPglite();
    open.push(database);
    const { db } = database;
    const master = randomBytes(32);
    const auditKey = randomBytes(32);
    const start = new Date();
    const envelope = await createKeyringEnvelope(db, master, { auditKey, actor: "t", at: start });
    const first = envelope.activeKeyId;
    const env = await getDefaultEnvironment(db);
    await createSecret(db, { environmentId: env.id, name: "ROTATED", actor: "t", at: start });
    await setSecretValue(db, envelope, { environmentId: env.id, name: "ROTATED", value: "v-before-rotation", actor: "t", at: start });
    let now = new Date(start.getTime() + 10 * DAY);
    const job = kekRotationJob({ db, envelope, master, auditKey, clock: { now: () => now }, logger: createLogger({ level: "silent" }) }, 30);
    const run = () => job.run({ now, dueAt: now, signal: new AbortController().signal });

    await run();
    expect((await getKeyringStatus(db)).keys.map((k) => [k.id, k.status])).toEqual([[first, "active"]]);

    now = new Date(start.getTime() + 31 * DAY);
    await run();
    const status = await getKeyringStatus(db);
    expect(status.keys.map((k) => k.status)).toEqual(["retired", "active"]);
    expect(status.remaining).toBe(0);
    const actions = (await db.selectFrom("audit_log").select(["action", "actor_id"]).where("action", "in", ["keys.rotate", "keys.rewrap", "keys.retire"]).orderBy("seq").execute()).map((r) => `${r.action} ${r.actor_id}`);
    expect(actions).toEqual(["keys.rotate system:kek-rotation", "keys.rewrap system:kek-rotation", "keys.retire system:kek-rotation"]);
    // A restarted service holds only the new KEK and reads the value.
    const restarted = await createKeyringEnvelope(db, master, { auditKey, actor: "t", at: now });
    expect(restarted.hasKey(first)).toBe(false);
    expect(await readSecretValue(db, restarted, { environmentId: env.id, name: "ROTATED" })).toMatchObject({ kind: "ok", value: "v-before-rotation" });
    // Nothing more to do the next hour.
    await run();
    expect((await getKeyringStatus(db)).keys).toHaveLength(2);
  });

  it("is a scheduled job only when the policy is set", async () => {
    const withPolicy = await startSecretsService({ env: { KEYWARD_KEK_ROTATION_DAYS: "30" }, dataDir: tmpDir("kw-kek-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    open.push(withPolicy);
    // The job rows are shared state: read them through the admin API.
    const res = await fetch(`${withPolicy.adminUrl}/api/jobs`, { headers: { authorization: `Bearer ${withPolicy.bootstrapToken}` } });
    const jobs = ((await res.json()) as { items: { name: string; schedule: string }[] }).items;
    expect(jobs).toContainEqual(expect.objectContaining({ name: "kek-rotation", schedule: "every 3600000ms" }));
    const without = await startSecretsService({ env: {}, dataDir: tmpDir("kw-kek-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    open.push(without);
    const none = await fetch(`${without.adminUrl}/api/jobs`, { headers: { authorization: `Bearer ${without.bootstrapToken}` } });
    expect(((await none.json()) as { items: { name: string }[] }).items.map((j) => j.name)).not.toContain("kek-rotation");
  });
});
