// Issue #17: scheduled re-verification. The real OpenAI tester (from @keyward/credential-tests) talks
// to a local server that answers GET /v1/models as OpenAI does; the job re-tests what is due, records
// each outcome with the scheduler's audit row, and raises credential.failed when a key stops working.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@keyward/common";
import { createKeyringEnvelope, createSecret, getDefaultEnvironment, inAuditedTransaction, listOutboxEvents, setCredentialSchedule, setSecretValue, type KeywardDatabase } from "@keyward/db";
import { createPgliteTemplate } from "@keyward/db/testing";
import { credentialReverifyJob, credentialTesterFromConfig } from "../src/credential-reverify.js";
import { startSecretsService } from "../src/index.js";
import { tmpDir } from "./helpers.js";
import { startOpenAiFake } from "../../credential-tests/test/fixtures/llm-apis.js";

const freshPglite = createPgliteTemplate();
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});
const HOUR = 3_600_000;

describe("scheduled credential re-verification", () => {
  it("re-tests due credentials only, records each outcome audited by the scheduler, and raises credential.failed when one starts failing", async () => {
    const key = "sk-proj-" + randomBytes(16).toString("hex");
    const valid = new Set([key]);
    const openai = await startOpenAiFake(valid);
    open.push(openai);
    const database: KeywardDatabase = await freshPglite();
    open.push(database);
    const { db } = database;
    const auditKey = randomBytes(32);
    const start = new Date();
    const envelope = await createKeyringEnvelope(db, randomBytes(32), { auditKey, actor: "t", at: start });
    const env = await getDefaultEnvironment(db);
    for (const name of ["OPENAI_KEY", "UNSCHEDULED_KEY"]) {
      await createSecret(db, { environmentId: env.id, name, type: "llm-api-key", actor: "t", at: start });
      await setSecretValue(db, envelope, { environmentId: env.id, name, value: key, actor: "t", at: start });
    }
    const secretId = (await db.selectFrom("secrets").select("id").where("name", "=", "OPENAI_KEY").executeTakeFirstOrThrow()).id;
    await inAuditedTransaction(db, auditKey, (trx) => setCredentialSchedule(trx, { secretId, everyHours: 6, now: start }));

    let now = start;
    let logs = "";
    const logger = createLogger({ level: "info", destination: { write: (c: string) => void (logs += c) } as never });
    const tester = credentialTesterFromConfig({ enabled: true, baseUrls: { openai: `${openai.url}/v1` } })!;
    const job = credentialReverifyJob({ db, envelope, auditKey, clock: { now: () => now }, logger, tester });
    const run = () => job.run({ now, dueAt: now, signal: new AbortController().signal });
    const checks = async () => (await db.selectFrom("credential_checks").innerJoin("secrets", "secrets.id", "credential_checks.secret_id").select(["secrets.name", "credential_checks.status", "credential_checks.last_error", "credential_checks.next_check_at"]).execute());
    const audit = async () => (await db.selectFrom("audit_log").select(["actor_id", "result", "reason"]).where("action", "=", "secret.credential.test").orderBy("seq").execute()).map((r) => [r.actor_id, r.result, r.reason]);

    await run();
    expect(await checks()).toEqual([{ name: "OPENAI_KEY", status: "connected", last_error: null, next_check_at: new Date(start.getTime() + 6 * HOUR) }]);
    // Not due again for six hours.
    now = new Date(start.getTime() + 5 * HOUR);
    await run();
    expect(await audit()).toEqual([["scheduler", "ok", "connected (version 1)"]]);

    // The provider revokes the key: the next due run records the failure and raises one event.
    valid.clear();
    now = new Date(start.getTime() + 7 * HOUR);
    await run();
    now = new Date(start.getTime() + 14 * HOUR);
    await run();
    const [row] = await checks();
    expect(row).toMatchObject({ status: "error", last_error: expect.stringContaining("401") });
    expect(row!.last_error).not.toContain(key);
    expect((await audit()).map(([, result]) => result)).toEqual(["ok", "error", "error"]);
    const events = (await listOutboxEvents(db)).filter((e) => e.type === "credential.failed");
    expect(events.map((e) => e.subject)).toEqual(["OPENAI_KEY"]);
    expect(JSON.stringify(events) + JSON.stringify(await audit()) + logs).not.toContain(key);
    expect(logs).toContain("re-verified stored credentials");
  });

  it("names a base URL for a provider no tester knows, and is off with KEYWARD_CREDENTIAL_TESTS=off", async () => {
    expect(() => credentialTesterFromConfig({ enabled: true, baseUrls: { opneai: "http://127.0.0.1:1/v1" } })).toThrow(/KEYWARD_CREDENTIAL_TEST_URLS: unknown provider opneai \(known: openai, anthropic/);
    expect(credentialTesterFromConfig({ enabled: false, baseUrls: {} })).toBeUndefined();
    await expect(startSecretsService({ env: { KEYWARD_CREDENTIAL_TEST_URLS: "openai=ftp://x" }, dataDir: tmpDir("kw-cred-"), grpcPort: 0, httpPort: 0, logLevel: "silent" })).rejects.toThrow(/KEYWARD_CREDENTIAL_TEST_URLS/);
    const off = await startSecretsService({ env: { KEYWARD_CREDENTIAL_TESTS: "off" }, dataDir: tmpDir("kw-cred-"), grpcPort: 0, httpPort: 0, logLevel: "silent" });
    open.push(off);
    const headers = { authorization: `Bearer ${off.bootstrapToken}`, "content-type": "application/json" };
    const jobs = ((await (await fetch(`${off.adminUrl}/api/jobs`, { headers })).json()) as { items: { name: string }[] }).items.map((j) => j.name);
    expect(jobs).not.toContain("credential-reverify");
    expect((await fetch(`${off.adminUrl}/api/secrets`, { method: "POST", headers, body: JSON.stringify({ name: "K", type: "llm-api-key", value: "sk-proj-" + "k".repeat(24) }) })).status).toBe(201);
    const secret = (await (await fetch(`${off.adminUrl}/api/secrets/K`, { headers })).json()) as { credential: { testable: boolean } };
    expect(secret.credential.testable).toBe(false);
  });
});
