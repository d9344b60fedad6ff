import { statusResult } from "../http-answer.js";
import type { Tester } from "../tester.js";

/** OpenAI: lists the models (GET /models with the key as Bearer), the cheapest call every key may make. */
export const openaiTester: Tester = {
  label: "OpenAI",
  async run(value, { fetch, signal, baseUrl }) {
    const res = await fetch(`${baseUrl("openai", "https://api.openai.com/v1")}/models`, {
      headers: { authorization: `Bearer ${value.trim()}` },
      signal,
    });
    return statusResult("OpenAI", res);
  },
};
