import { defaultEnvironmentId } from "@keyward/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSecretValue } from "@keyward/db";
import { expectProblem, startApi, type Api } from "./harness.js";

// Issue #12 §7: setting a value on a disabled secret cannot re-enable it in a race. The test makes
// the race certain: another connection holds the secret's row while a value is being set, and
// disables the secret before letting go. A status check made before the write (as before) passes
// and the write then re-enables the secret; a check that is part of the write sees "disabled".

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a value set while the secret is being disabled (PostgreSQL)", () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ backend: "postgres" });
  });
  afterAll(async () => api?.close());

  it("is refused, and the secret stays disabled", async () => {
    expect((await api.call("POST", "/api/secrets", { body: { name: "RACE_SECRET", value: "first" } })).status).toBe(201);
    // A transaction of the test's own (another pooled connection) holds the row.
    let result: Awaited<ReturnType<Api["call"]>> | undefined;
    await api.kdb.db.transaction().execute(async (holder) => {
      await sql`select 1 from secrets where name = 'RACE_SECRET' for update`.execute(holder);
      const setting = api.call("PUT", "/api/secrets/RACE_SECRET/value", { body: { value: "second" } });
      // The request is past any check that reads without the lock, and waits for the row.
      // pg_locks is live (pg_stat_activity would be a snapshot taken once per transaction).
      await until(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(holder)).rows[0]!.n > 0, "the write to wait for the row");
      await sql`update secrets set status = 'disabled' where name = 'RACE_SECRET'`.execute(holder);
      // Commit, then let the request finish.
      void setting.then((r) => (result = r));
    });
    await until(async () => result !== undefined, "the request to finish");
    expectProblem(result!, 409, "name");
    expect(result!.json.title).toBe("Secret is disabled");
    expect(await readSecretValue(api.kdb.db, api.envelope, { environmentId: await defaultEnvironmentId(api.kdb.db), name: "RACE_SECRET" })).toEqual({ kind: "disabled" });
    const versions = await api.kdb.db.selectFrom("secret_versions").innerJoin("secrets", "secrets.id", "secret_versions.secret_id").select("version").where("name", "=", "RACE_SECRET").execute();
    expect(versions.map((v) => v.version)).toEqual([1]);
  });
});
