// The HTTP testers (OpenAI, Anthropic, Stripe, GitHub) against local servers that speak those APIs.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llmProviderOf, testCredential } from "../src/index.js";
import { startAnthropicFake, startOpenAiFake } from "./fixtures/llm-apis.js";
import { startHttpFake, type Fake } from "./fixtures/servers.js";
import { startGitHubFake, startStripeFake } from "./fixtures/stripe-github.js";
import { expectFailure, expectSecretFree } from "./helpers.js";

const openaiKey = `sk-proj-${randomBytes(24).toString("hex")}`;
const anthropicKey = `sk-ant-api03-${randomBytes(24).toString("hex")}`;
const stripeKey = `sk_test_${randomBytes(24).toString("hex")}`;
const githubToken = `ghp_${randomBytes(18).toString("hex")}`;
const wrong = (key: string) => `${key.slice(0, -6)}zzzzzz`;

let openai: Fake, anthropic: Fake, stripe: Fake, github: Fake;
beforeAll(async () => {
  [openai, anthropic, stripe, github] = await Promise.all([startOpenAiFake(openaiKey), startAnthropicFake(anthropicKey), startStripeFake(stripeKey), startGitHubFake(githubToken)]);
});
afterAll(async () => {
  await Promise.all([openai, anthropic, stripe, github].map((f) => f?.close()));
});
const baseUrls = () => ({ openai: `${openai.url}/v1`, anthropic: `${anthropic.url}/v1/`, stripe: stripe.url, github: github.url });

describe("llm-api-key", () => {
  it("connects an OpenAI key to the models list", async () => {
    expect(await testCredential("llm-api-key", openaiKey, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
    expect(openai.hits).toBeGreaterThan(0);
  });

  it("sends an sk-ant- key to Anthropic with x-api-key and anthropic-version (a trailing slash in the base URL is fine)", async () => {
    const before = openai.hits;
    expect(await testCredential("llm-api-key", anthropicKey, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
    expect(openai.hits).toBe(before);
  });

  it("chooses the provider by the explicit option over the prefix", async () => {
    expect(llmProviderOf("sk-ant-x")).toBe("anthropic");
    expect(llmProviderOf("sk-proj-x")).toBe("openai");
    expect(llmProviderOf("sk-proj-x", "anthropic")).toBe("anthropic");
    // An OpenAI-shaped key told to be Anthropic's goes to the Anthropic server, which refuses it.
    const result = await testCredential("llm-api-key", openaiKey, { baseUrls: baseUrls(), llmProvider: "anthropic" });
    expectFailure(result, "unauthorized", [openaiKey], /^Anthropic answered 401/);
  });

  it("maps a refused key to unauthorized without the provider's body, which quotes the key", async () => {
    const bad = wrong(openaiKey);
    const result = await testCredential("llm-api-key", bad, { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [bad], /^OpenAI answered 401: invalid API key$/);
    expectFailure(await testCredential("llm-api-key", wrong(anthropicKey), { baseUrls: baseUrls() }), "unauthorized", [wrong(anthropicKey)], /^Anthropic answered 401/);
  });

  it("names a wrong base URL (404) as unexpected", async () => {
    const result = await testCredential("llm-api-key", openaiKey, { baseUrls: { openai: `${openai.url}/v2` } });
    expectFailure(result, "unexpected", [openaiKey], /404: check the base URL/);
  });

  it("refuses an empty value before calling anyone", async () => {
    const before = openai.hits;
    expectFailure(await testCredential("llm-api-key", "   ", { baseUrls: baseUrls() }), "invalid", [], /empty/);
    expect(openai.hits).toBe(before);
  });
});

describe("redirects", () => {
  it("does not follow a redirect, which would carry the x-api-key header elsewhere", async () => {
    const redirecting = await startHttpFake(() => ({ status: 307, headers: { location: `${anthropic.url}/v1/models` } }));
    try {
      const before = anthropic.hits;
      const result = await testCredential("llm-api-key", anthropicKey, { baseUrls: { anthropic: `${redirecting.url}/v1` } });
      expectFailure(result, "unexpected", [anthropicKey], /^Anthropic answered 307: redirects are not followed$/);
      expect(anthropic.hits).toBe(before);
    } finally {
      await redirecting.close();
    }
  });
});

describe("stripe-key", () => {
  it("connects with the balance", async () => {
    expect(await testCredential("stripe-key", stripeKey, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
  });
  it("maps a refused key to unauthorized, secret-free", async () => {
    const result = await testCredential("stripe-key", wrong(stripeKey), { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [wrong(stripeKey), stripeKey], /^Stripe answered 401/);
  });
});

describe("github-token", () => {
  it("connects with the token's user", async () => {
    expect(await testCredential("github-token", githubToken, { baseUrls: baseUrls() })).toEqual({ status: "connected" });
  });
  it("maps bad credentials to unauthorized", async () => {
    const result = await testCredential("github-token", wrong(githubToken), { baseUrls: baseUrls() });
    expectFailure(result, "unauthorized", [wrong(githubToken)], /^GitHub answered 401: bad credentials$/);
  });
  it("uses the injected fetch", async () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const result = await testCredential("github-token", githubToken, { baseUrls: baseUrls(), fetch: fetchSpy });
    expect(result).toEqual({ status: "connected" });
    expect(seen).toEqual([`${github.url}/user`]);
    expectSecretFree(result, [githubToken]);
  });
});
