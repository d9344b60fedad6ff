import { statusResult } from "../http-answer.js";
import type { Tester } from "../tester.js";

/** The API version header Anthropic requires on every call. */
const ANTHROPIC_VERSION = "2023-06-01";

/** Anthropic: lists the models (GET /models with x-api-key and anthropic-version). */
export const anthropicTester: Tester = {
  label: "Anthropic",
  async run(value, { fetch, signal, baseUrl }) {
    const res = await fetch(`${baseUrl("anthropic", "https://api.anthropic.com/v1")}/models`, {
      headers: { "x-api-key": value.trim(), "anthropic-version": ANTHROPIC_VERSION },
      signal,
    });
    return statusResult("Anthropic", res);
  },
};
