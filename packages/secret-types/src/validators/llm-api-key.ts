import { accept, refuse } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

// OpenAI: sk-… (legacy), sk-proj-…, sk-svcacct-…, sk-admin-…; Anthropic: sk-ant-api03-…, sk-ant-admin01-….
const PROVIDERS: [RegExp, string][] = [
  [/^sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{20,}$/, "anthropic"],
  [/^sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}$/, "openai"],
  [/^sk-[A-Za-z0-9]{20,}$/, "openai"],
];

export const llmApiKey: SecretTypeDefinition = {
  name: "llm-api-key",
  describe: "An LLM provider key: OpenAI sk-… / sk-proj-…, Anthropic sk-ant-…",
  validate(value) {
    const bad = tokenProblem(value);
    if (bad) return bad;
    if (!value.startsWith("sk-")) return refuse("must start with sk- (OpenAI sk-… or sk-proj-…, Anthropic sk-ant-…)");
    const match = PROVIDERS.find(([re]) => re.test(value));
    if (!match) return refuse("must be sk-, sk-proj- or sk-ant-<kind>- followed by at least 20 letters, digits, _ or -");
    return accept({ provider: match[1] });
  },
};
