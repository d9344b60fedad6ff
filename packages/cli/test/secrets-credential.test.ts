// `keyward secrets test` and `retest` (issue #17): the server tests the stored credential against a
// local server that answers OpenAI's GET /v1/models; the CLI shows the state and exits 1 on a failing one.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli, useService } from "./harness.js";
import { expectNoLeak, loggedIn } from "./support.js";
import { startOpenAiFake } from "../../credential-tests/test/fixtures/llm-apis.js";
import type { Fake } from "../../credential-tests/test/fixtures/servers.js";

const KEY = "sk-proj-" + randomBytes(16).toString("hex");
const valid = new Set([KEY]);
let openai: Fake;
beforeAll(async () => {
  openai = await startOpenAiFake(valid);
});
afterAll(async () => openai?.close());
const sut = useService(() => ({ KEYWARD_CREDENTIAL_TEST_URLS: `openai=${openai.url}/v1` }));

describe("keyward secrets test / retest", () => {
  it("prints connected (exit 0), then the provider's error once the key is revoked (exit 1), and the CREDENTIAL column; never the key", async () => {
    const env = loggedIn(sut);
    expect((await runCli(["secrets", "set", "OPENAI_KEY", "--description", "OpenAI key", "--type", "llm-api-key"], env, KEY)).code).toBe(EXIT.ok);
    expect((await runCli(["secrets", "list"], env)).stdout).toMatch(/^OPENAI_KEY\s+active\s+llm-api-key\s+1\s+.*untested/m);

    const ok = await runCli(["secrets", "test", "OPENAI_KEY"], env);
    expect([ok.code, ok.stdout]).toEqual([EXIT.ok, "OPENAI_KEY in development: connected\n"]);
    valid.clear();
    const failing = await runCli(["secrets", "test", "OPENAI_KEY"], env);
    expect(failing.code).toBe(EXIT.failed);
    expect(failing.stdout).toMatch(/^OPENAI_KEY in development: error \(unauthorized: OpenAI answered 401/);
    const json = JSON.parse((await runCli(["secrets", "list", "--json"], env)).stdout);
    expect(json[0].credential).toMatchObject({ state: "error", lastErrorCode: "unauthorized", testable: true });
    expect((await runCli(["secrets", "list"], env)).stdout).toMatch(/^OPENAI_KEY\s.*\serror\s+development/m);

    const on = await runCli(["secrets", "retest", "OPENAI_KEY", "--every", "24"], env);
    expect(on.stdout).toMatch(/^OPENAI_KEY in development: re-tested every 24 h, next at \d{4}-/);
    expect((await runCli(["secrets", "retest", "OPENAI_KEY", "--every", "off"], env)).stdout).toBe("OPENAI_KEY in development: scheduled re-tests off\n");
    const bad = await runCli(["secrets", "retest", "OPENAI_KEY", "--every", "0"], env);
    expect([bad.code, bad.stderr]).toEqual([EXIT.usage, expect.stringContaining("--every must be from 1 to 8760 hours, or off")]);
    expect((await runCli(["secrets", "retest", "OPENAI_KEY"], env)).code).toBe(EXIT.usage);
    for (const r of [ok, failing, on]) expectNoLeak(r, KEY, sut.token);
  });

  it("names a type without a connection test (exit 1)", async () => {
    const env = loggedIn(sut);
    expect((await runCli(["secrets", "set", "PLAIN", "--description", "plain", "--type", "generic"], env, "v-" + randomBytes(6).toString("hex"))).code).toBe(EXIT.ok);
    const r = await runCli(["secrets", "test", "PLAIN"], env);
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain("PLAIN is of type generic, which has no connection test");
  });
});
