import { accept, refuse } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

const KINDS: Record<string, string> = { sk: "secret", rk: "restricted", pk: "publishable" };

export const stripeKey: SecretTypeDefinition = {
  name: "stripe-key",
  describe: "A Stripe key: sk_live_… / sk_test_…, restricted rk_live_… / rk_test_…",
  validate(value) {
    const bad = tokenProblem(value);
    if (bad) return bad;
    const m = /^(sk|rk|pk)_(live|test)_([A-Za-z0-9]+)$/.exec(value);
    if (!m) return refuse("must start with sk_live_, sk_test_, rk_live_ or rk_test_ followed by letters and digits");
    if (m[3]!.length < 16) return refuse("must have at least 16 letters or digits after the prefix");
    return accept({ mode: m[2]!, kind: KINDS[m[1]!]! });
  },
};
