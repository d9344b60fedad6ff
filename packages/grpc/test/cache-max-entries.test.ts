// cacheMaxEntries bounds every read cache (tokens, grants, values); a full cache evicts the least
// recently used entry and the evicted read still answers, from the database.
import type { GetSecretRequest, GetSecretResponse } from "@keyward/proto";
import { afterEach, describe, expect, it } from "vitest";
import { bearer, freshPglite, secretFor, startTestServer, tokenWithStatus, unary, type TestServer } from "./harness.js";

let t: TestServer | undefined;
afterEach(async () => t?.close());

describe("cacheMaxEntries", () => {
  it("keeps at most that many entries per cache and answers every read", async () => {
    t = await startTestServer(await freshPglite(), { cacheMaxEntries: 2 });
    const names = ["BOUND_A", "BOUND_B", "BOUND_C"];
    const readers: { token: string }[] = [];
    for (const [i, name] of names.entries()) {
      readers.push(await tokenWithStatus(t.kdb.db, `bound-${i}`, "approved"));
      await secretFor(t.kdb.db, t.envelope, { name, serviceName: `bound-${i}`, value: `v${i}`, access: "granted" });
    }
    const read = (i: number) => unary<GetSecretRequest, GetSecretResponse>(t!.client.getSecret.bind(t!.client), { name: names[i]!, description: "test" }, bearer(readers[i]!.token));
    expect(t.server.cacheSizes()).toEqual({ tokens: 0, grants: 0, values: 0 });
    for (const i of [0, 1, 2]) expect((await read(i)).res?.value).toBe(`v${i}`);
    expect(t.server.cacheSizes()).toEqual({ tokens: 2, grants: 2, values: 2 });
    // The first reader's entries were evicted; it reads again, from the database.
    expect((await read(0)).res?.value).toBe("v0");
    expect(t.server.cacheSizes()).toEqual({ tokens: 2, grants: 2, values: 2 });
  });

  it("is undefined in cacheSizes when caching is off", async () => {
    t = await startTestServer(await freshPglite(), { cache: false });
    expect(t.server.cacheSizes()).toBeUndefined();
  });
});
