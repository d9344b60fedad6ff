import type { Tester } from "../tester.js";
import { anthropicTester } from "./anthropic.js";
import { openaiTester } from "./openai.js";

/** Anthropic keys start with this; every other LLM key is taken for OpenAI's unless `llmProvider` says otherwise. */
const ANTHROPIC_PREFIX = "sk-ant-";

/** Which provider an LLM key belongs to: the explicit option, else the key's prefix. */
export function llmProviderOf(value: string, explicit?: "openai" | "anthropic"): "openai" | "anthropic" {
  return explicit ?? (value.trim().startsWith(ANTHROPIC_PREFIX) ? "anthropic" : "openai");
}

/** llm-api-key: OpenAI's or Anthropic's model list, chosen by llmProviderOf. */
export const llmApiKeyTester: Tester = {
  label: "LLM provider",
  select: (value, options) => (llmProviderOf(value, options.llmProvider) === "anthropic" ? anthropicTester : openaiTester),
  run(value, context) {
    return llmApiKeyTester.select!(value, context.options).run(value, context);
  },
};
