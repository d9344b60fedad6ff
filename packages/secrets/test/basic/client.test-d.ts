import { describe, expectTypeOf, it } from "vitest";
import { createSecretsClient } from "../../src/index.js";

const schema = {
  properties: {
    STRIPE_API_KEY: { description: "Stripe" },
    SENTRY_DSN: { description: "Sentry", "x-keyward": { optional: true } },
  },
} as const;

describe("createSecretsClient types", () => {
  it("follows the schema", () => {
    const client = createSecretsClient(schema, { serviceName: "t", token: "kws_x", url: "127.0.0.1:1" });
    expectTypeOf(client.getSecret("STRIPE_API_KEY")).resolves.toEqualTypeOf<string>();
    expectTypeOf(client.getSecret("SENTRY_DSN")).resolves.toEqualTypeOf<string | undefined>();
    // @ts-expect-error a name the schema does not declare
    void client.getSecret("NOT_DECLARED");
    client.close();
  });
});
