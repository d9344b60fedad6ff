// testCredential itself: the registry, bad options, cancellation, and the two transport failures (closed
// port, server that never answers) for every tester that speaks HTTP.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasTester, testableTypes, testCredential, type BaseUrlName } from "../src/index.js";
import { makeServiceAccount } from "./fixtures/oauth-tokens.js";
import { closedPort, startSilentServer, type Fake } from "./fixtures/servers.js";
import { expectFailure } from "./helpers.js";

const secret = randomBytes(24).toString("hex");
const account = makeServiceAccount("https://oauth2.googleapis.com/token");
const cases: { type: string; value: string; base: BaseUrlName; label: string; path?: string; secrets: string[] }[] = [
  { type: "llm-api-key", value: `sk-proj-${secret}`, base: "openai", label: "OpenAI", secrets: [secret] },
  { type: "llm-api-key", value: `sk-ant-api03-${secret}`, base: "anthropic", label: "Anthropic", secrets: [secret] },
  { type: "stripe-key", value: `sk_live_${secret}`, base: "stripe", label: "Stripe", secrets: [secret] },
  { type: "github-token", value: `github_pat_${secret}`, base: "github", label: "GitHub", secrets: [secret] },
  { type: "aws-access-key", value: JSON.stringify({ accessKeyId: "AKIAKEYWARDTEST00001", secretAccessKey: secret }), base: "aws-sts", label: "AWS STS", secrets: [secret] },
  { type: "gcp-service-account", value: JSON.stringify(account.json), base: "gcp-token", label: "Google OAuth", path: "/token", secrets: [account.json.private_key!.split("\n")[1]!] },
  { type: "azure-client-secret", value: JSON.stringify({ tenantId: randomUUID(), clientId: randomUUID(), clientSecret: secret }), base: "azure-authority", label: "Microsoft Entra ID", secrets: [secret] },
];

let silent: Fake;
beforeAll(async () => {
  silent = await startSilentServer();
});
afterAll(async () => {
  await silent?.close();
});

describe("registry", () => {
  it("has a tester for each type of issue #17's list that can be tested, and none for the others", () => {
    expect(testableTypes().sort()).toEqual(["aws-access-key", "azure-client-secret", "database-url", "gcp-service-account", "github-token", "llm-api-key", "smtp", "stripe-key"]);
    expect(hasTester("stripe-key")).toBe(true);
    expect(hasTester("pem-certificate")).toBe(false);
    expect(hasTester("toString")).toBe(false);
  });

  it("answers invalid for a type without a tester, without echoing a strange type name", async () => {
    expectFailure(await testCredential("pem-certificate", "x"), "invalid", [], /^no connectivity tester for type pem-certificate$/);
    const result = await testCredential(`Bearer ${secret}`, "x");
    expectFailure(result, "invalid", [secret], /\(unknown\)$/);
  });

  it("refuses a timeout that is not a positive number", async () => {
    expectFailure(await testCredential("github-token", `ghp_${secret}`, { timeoutMs: 0 }), "invalid", [secret], /timeoutMs/);
    expectFailure(await testCredential("github-token", `ghp_${secret}`, { timeoutMs: Number.NaN }), "invalid", [secret], /timeoutMs/);
  });
});

describe("cancellation and timeouts", () => {
  it("answers 'test cancelled' for a signal already aborted, without calling out", async () => {
    let called = false;
    const result = await testCredential("github-token", `ghp_${secret}`, { signal: AbortSignal.abort(), fetch: async () => ((called = true), new Response()) });
    expectFailure(result, "unexpected", [secret], /^test cancelled$/);
    expect(called).toBe(false);
  });

  it("ends a running test when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = testCredential("github-token", `ghp_${secret}`, { baseUrls: { github: silent.url }, signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 100);
    expectFailure(await pending, "unexpected", [secret], /^test cancelled$/);
  });

  it("ends by timeoutMs even when the fetch ignores the signal", async () => {
    const started = Date.now();
    const never: typeof fetch = () => new Promise<Response>(() => undefined);
    expectFailure(await testCredential("stripe-key", `sk_test_${secret}`, { fetch: never, timeoutMs: 150 }), "timeout", [secret], /^Stripe did not answer within 150 ms$/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("maps a thrown error to unexpected by its name, never its message", async () => {
    const throwing: typeof fetch = async () => {
      throw new RangeError(`bad header value ${secret}`);
    };
    expectFailure(await testCredential("stripe-key", `sk_test_${secret}`, { fetch: throwing }), "unexpected", [secret], /^Stripe test failed \(RangeError\)$/);
  });
});

describe.each(cases)("$label ($type): transport failures", ({ type, value, base, label, path, secrets }) => {
  it("answers unreachable for a closed port", async () => {
    const url = `http://127.0.0.1:${await closedPort()}${path ?? ""}`;
    const result = await testCredential(type, value, { baseUrls: { [base]: url }, timeoutMs: 5_000 });
    expectFailure(result, "unreachable", secrets, new RegExp(`^${label} is unreachable \\(ECONNREFUSED\\)$`));
  });

  it("answers timeout for a server that never answers", async () => {
    const started = Date.now();
    const result = await testCredential(type, value, { baseUrls: { [base]: `${silent.url}${path ?? ""}` }, timeoutMs: 250 });
    expectFailure(result, "timeout", secrets, new RegExp(`^${label} did not answer within 250 ms$`));
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
