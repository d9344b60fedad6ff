// An app that reads STRIPE_API_KEY from Keyward instead of from the environment.
import fs from "node:fs";
import path from "node:path";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";

const here = path.dirname(new URL(import.meta.url).pathname);
const schema = JSON.parse(fs.readFileSync(path.join(here, "secrets.schema.combined.json"), "utf8"));
const secrets = createSecretsClient(schema, {
  serviceName: "first-secret-example",
  serviceVersion: "1.0.0",
  // package.json "keyward.environment" (development); KEYWARD_ENVIRONMENT or an `environment` option win.
  defaultEnvironment: JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8")).keyward.environment,
  // KEYWARD_TOKEN_FILE moves it (tests keep their own); else next to the app, mode 0600.
  tokenFile: process.env.KEYWARD_TOKEN_FILE ?? path.join(here, ".keyward/service-token"),
});

try {
  console.log(`token: ${await secrets.register()}`);
  const key = await secrets.getSecret("STRIPE_API_KEY");
  // Never print a secret; show that it arrived.
  console.log(`got STRIPE_API_KEY (${key.length} characters)`);
} catch (error) {
  if (!(error instanceof SecretsClientError)) throw error;
  console.log(`not yet: ${error.reason}: ${error.message}`);
  process.exitCode = 3;
} finally {
  secrets.close();
}
