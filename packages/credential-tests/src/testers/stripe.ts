import { statusResult } from "../http-answer.js";
import type { Tester } from "../tester.js";

/** Stripe: reads the balance (GET /v1/balance with the key as Bearer); restricted keys need balance read. */
export const stripeTester: Tester = {
  label: "Stripe",
  async run(value, { fetch, signal, baseUrl }) {
    const res = await fetch(`${baseUrl("stripe", "https://api.stripe.com")}/v1/balance`, {
      headers: { authorization: `Bearer ${value.trim()}` },
      signal,
    });
    return statusResult("Stripe", res);
  },
};
