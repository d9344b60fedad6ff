import { status, type Metadata } from "@grpc/grpc-js";
import type { GetSecretRequest, GetSecretResponse } from "@keyward/proto";
import { describe, expect, it } from "vitest";
import { connectPostgres } from "@keyward/db";
import { bearer, eventually, freshPostgresUrl, lockTable, secretFor, startTestServer, tokenWithStatus, type TestServer } from "./harness.js";

const getSecret = (t: TestServer, name: string, md: Metadata, deadline?: Date) =>
  new Promise<{ res?: GetSecretResponse; err?: { code: number } }>((resolve) =>
    t.client.getSecret({ name, description: "test" } satisfies GetSecretRequest, md, deadline ? { deadline } : {}, (err, res) => resolve(err ? { err } : { res: res! })),
  );

describe("graceful shutdown", () => {
  it("lets a call in flight finish while close() waits, and refuses new calls (PostgreSQL)", async () => {
    const url = await freshPostgresUrl();
    const kdb = connectPostgres(url, { max: 4 });
    const t = await startTestServer(kdb);
    const { token } = await tokenWithStatus(kdb.db, "drain-svc", "approved");
    await secretFor(kdb.db, t.envelope, { name: "DRAIN_ME", serviceName: "drain-svc", value: "drained-value", access: "granted" });
    // Connect the client first, with a call that does not fill the token cache.
    await new Promise((resolve) => t.client.registerToken({ serviceName: "drain-svc", serviceVersion: "1", environment: "" }, bearer(token), resolve));

    // The server's token lookup will wait on this lock: the call is then provably in flight.
    const lock = await lockTable(url, kdb.db, "service_tokens");
    const inFlight = getSecret(t, "DRAIN_ME", bearer(token));
    await lock.waiting();
    let closed = false;
    const closing = t.server.close().then(() => (closed = true));
    const late = await getSecret(t, "DRAIN_ME", bearer(token), new Date(Date.now() + 2000));
    expect(late.err?.code).toBeDefined();
    expect(closed).toBe(false);

    await lock.unlock();
    const { res, err } = await inFlight;
    expect(err).toBeUndefined();
    expect(res).toEqual({ name: "DRAIN_ME", value: "drained-value", version: 1 });
    await closing;
    expect(closed).toBe(true);
    // Its audit row was written before the answer, even though the server was closing.
    const rows = await kdb.db.selectFrom("audit_log").select(["target", "result"]).where("target", "=", "secret:DRAIN_ME").execute();
    expect(rows).toEqual([{ target: "secret:DRAIN_ME", result: "ok" }]);
    t.client.close();
    await kdb.close();
  });
});

describe("deadlines", () => {
  it("does no work for a call whose deadline passed while it waited: no stub, no access request (PostgreSQL)", async () => {
    const url = await freshPostgresUrl();
    const kdb = connectPostgres(url, { max: 4 });
    const t = await startTestServer(kdb);
    try {
      const { token } = await tokenWithStatus(kdb.db, "deadline-svc", "approved");
      const lock = await lockTable(url, kdb.db, "service_tokens");
      const late = getSecret(t, "DEADLINE_NEW", bearer(token), new Date(Date.now() + 3000));
      await lock.waiting();
      // The client gives up while the server's call is still waiting on the database.
      expect((await late).err?.code).toBe(status.DEADLINE_EXCEEDED);
      await lock.unlock();
      const audit = () => kdb.db.selectFrom("audit_log").select(["action", "result", "reason"]).where("target", "=", "secret:DEADLINE_NEW").execute();
      await eventually(async () => (await audit()).length > 0, 400);
      expect(await audit()).toEqual([{ action: "secret.read", result: "cancelled", reason: null }]);
      expect(await kdb.db.selectFrom("secrets").select("name").where("name", "=", "DEADLINE_NEW").execute()).toEqual([]);
      expect(await kdb.db.selectFrom("access_requests").select("id").where("secret_name", "=", "DEADLINE_NEW").execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
