import { SecretType } from "@keyward/proto";
import { describe, expect, it } from "vitest";
import { secretRef } from "../../src/client/declared.js";

// Issue #17: the value rules a schema declares travel to the server in SecretPolicy.rules_json.
describe("secretRef", () => {
  const schema = {
    properties: {
      STRIPE_KEY: { type: "string", description: "Stripe", pattern: "^sk_live_", minLength: 24, "x-keyward": { type: "stripe-key", rotationDays: 30 } },
      PLAIN: { type: "string", description: "no rules" },
    },
  } as const;

  it("sends the whitelisted rules as JSON with the type", () => {
    expect(secretRef(schema, "STRIPE_KEY")).toEqual({
      name: "STRIPE_KEY",
      description: "Stripe",
      policy: { type: SecretType.SECRET_TYPE_STRIPE_KEY, rotationDays: 30, reminderDays: 0, rulesJson: '{"pattern":"^sk_live_","minLength":24}' },
    });
  });

  it("sends no rules when none are declared, and leaves out keywords that are not value rules", () => {
    expect(secretRef(schema, "PLAIN").policy).toEqual({ type: SecretType.SECRET_TYPE_UNSPECIFIED, rotationDays: 0, reminderDays: 0, rulesJson: "" });
    expect(JSON.stringify(secretRef(schema, "STRIPE_KEY").policy)).not.toContain("description");
  });
});
