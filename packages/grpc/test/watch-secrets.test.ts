import { randomBytes } from "node:crypto";
import { status, type ClientReadableStream, type Metadata, type ServiceError } from "@grpc/grpc-js";
import { decideAccessRequest, decideServiceToken, setSecretValue } from "@keyward/db";
import { ChangeKind, type WatchSecretsResponse } from "@keyward/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, freshPglite, reasonOf, secretFor, startTestServer, tokenWithStatus, type TestServer , environmentId } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(await freshPglite());
});
afterAll(async () => t?.close());

/** A watch whose events queue up; `live` resolves once the server sent headers (subscribed). */
function watch(names: string[], md: Metadata, server = t) {
  const stream: ClientReadableStream<WatchSecretsResponse> = server.client.watchSecrets({ names }, md);
  const events: WatchSecretsResponse[] = [];
  const waiters: (() => void)[] = [];
  stream.on("data", (e: WatchSecretsResponse) => {
    events.push(e);
    waiters.splice(0).forEach((w) => w());
  });
  const ended = new Promise<ServiceError | null>((resolve) => {
    stream.on("error", (err: ServiceError) => resolve(err));
    stream.on("status", (s: { code: number }) => s.code === status.OK && resolve(null));
  });
  const live = new Promise<void>((resolve) => stream.on("metadata", () => resolve()));
  /** The next event (bounded wait: fails rather than hangs). */
  const next = async (): Promise<WatchSecretsResponse> => {
    for (let i = 0; i < 400 && events.length === 0; i++) await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 25))]);
    const e = events.shift();
    if (!e) throw new Error("no watch event arrived");
    return e;
  };
  return { stream, live, next, ended, events };
}

describe("WatchSecrets", () => {
  it("streams value changes and access changes for granted secrets only, never a value", async () => {
    const svc = "watch-svc";
    const { token } = await tokenWithStatus(t.kdb.db, svc, "approved");
    const { requestId } = await secretFor(t.kdb.db, t.envelope, { name: "W_GRANTED", serviceName: svc, value: "v1", access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "W_NOT_GRANTED", serviceName: svc, value: "v1", access: "pending" });
    const w = watch([], bearer(token));
    await w.live;

    const secretValue = "watch_" + randomBytes(8).toString("hex");
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "W_NOT_GRANTED", value: secretValue, actor: "admin", at: new Date() });
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "W_GRANTED", value: secretValue, actor: "admin", at: new Date() });
    // Events keep their order, so the first one proves the ungranted change was not streamed.
    expect(await w.next()).toEqual({ name: "W_GRANTED", version: 2, kind: ChangeKind.CHANGE_KIND_VALUE_SET });

    await decideAccessRequest(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: requestId, decision: "revoke", actor: "admin", at: new Date() });
    expect(await w.next()).toEqual({ name: "W_GRANTED", version: 2, kind: ChangeKind.CHANGE_KIND_ACCESS_CHANGED });
    // Revoked now: its next value is no longer streamed; a newly granted one is.
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "W_GRANTED", value: "v3", actor: "admin", at: new Date() });
    const other = await t.kdb.db.selectFrom("access_requests").select("id").where("secret_name", "=", "W_NOT_GRANTED").executeTakeFirstOrThrow();
    await decideAccessRequest(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id: other.id, decision: "grant", actor: "admin", at: new Date() });
    expect(await w.next()).toEqual({ name: "W_NOT_GRANTED", version: 2, kind: ChangeKind.CHANGE_KIND_ACCESS_CHANGED });
    await t.kdb.db.updateTable("secrets").set({ status: "disabled" }).where("name", "=", "W_NOT_GRANTED").execute();
    expect(await w.next()).toEqual({ name: "W_NOT_GRANTED", version: 2, kind: ChangeKind.CHANGE_KIND_DISABLED });

    w.stream.cancel();
    expect((await w.ended)?.code).toBe(status.CANCELLED);
    expect(JSON.stringify(w.events)).not.toContain(secretValue);
    expect(t.logs()).not.toContain(secretValue);
  });

  it("watches only the named secrets when names are given", async () => {
    const svc = "watch-named";
    const { token } = await tokenWithStatus(t.kdb.db, svc, "approved");
    await secretFor(t.kdb.db, t.envelope, { name: "N_ONE", serviceName: svc, value: "1", access: "granted" });
    await secretFor(t.kdb.db, t.envelope, { name: "N_TWO", serviceName: svc, value: "1", access: "granted" });
    const w = watch(["N_TWO"], bearer(token));
    await w.live;
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "N_ONE", value: "2", actor: "admin", at: new Date() });
    await setSecretValue(t.kdb.db, t.envelope, { environmentId: await environmentId(t.kdb.db), name: "N_TWO", value: "2", actor: "admin", at: new Date() });
    expect(await w.next()).toEqual({ name: "N_TWO", version: 2, kind: ChangeKind.CHANGE_KIND_VALUE_SET });
    w.stream.cancel();
  });

  it("ends the stream with PERMISSION_DENIED token_revoked when the token is revoked", async () => {
    const { token, id } = await tokenWithStatus(t.kdb.db, "watch-revoked", "approved");
    const w = watch([], bearer(token));
    await w.live;
    await decideServiceToken(t.kdb.db, { environmentId: await environmentId(t.kdb.db), id, decision: "revoke", actor: "admin", at: new Date() });
    const err = await w.ended;
    expect([err?.code, reasonOf(err)]).toEqual([status.PERMISSION_DENIED, "token_revoked"]);
  });

  it("refuses bad requests and tokens with a status and reason", async () => {
    const { token } = await tokenWithStatus(t.kdb.db, "watch-bad", "approved");
    const pending = await tokenWithStatus(t.kdb.db, "watch-pending", "pending");
    const cases = [
      [["lower_case"], bearer(token), status.INVALID_ARGUMENT, "invalid_name"],
      [["DUP", "DUP"], bearer(token), status.INVALID_ARGUMENT, "invalid_argument"],
      [Array.from({ length: 101 }, (_, i) => `N_${i}`), bearer(token), status.INVALID_ARGUMENT, "invalid_argument"],
      [[], bearer(), status.UNAUTHENTICATED, "token_missing"],
      [[], bearer(pending.token), status.PERMISSION_DENIED, "token_pending"],
    ] as const;
    for (const [names, md, code, why] of cases) {
      const err = await watch([...names], md).ended;
      expect([err?.code, reasonOf(err)]).toEqual([code, why]);
    }
  });

  it("ends open streams cleanly (OK) when the server shuts down", async () => {
    const other = await startTestServer(await freshPglite());
    const { token } = await tokenWithStatus(other.kdb.db, "watch-shutdown", "approved");
    const w = watch([], bearer(token), other);
    await w.live;
    await other.close();
    expect(await w.ended).toBeNull();
  });

  it("answers UNIMPLEMENTED when the server has no change notifications", async () => {
    const bare = await startTestServer(await freshPglite(), {}, { withChanges: false });
    try {
      const { token } = await tokenWithStatus(bare.kdb.db, "watch-bare", "approved");
      const err = await watch([], bearer(token), bare).ended;
      expect(err?.code).toBe(status.UNIMPLEMENTED);
    } finally {
      await bare.close();
    }
  });
});
