// identity-service: fetches every secret in its combined schema (its own JWT_SIGNING_KEY and the
// mailer's SMTP_PASSWORD) from Keyward, then builds the mailer with its secret. One command:
//   pnpm --filter @keyward/example-identity-service start
// KEYWARD_URL (default 127.0.0.1:50051) and KEYWARD_TOKEN_FILE (default .keyward/service-token) apply.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createMailer } from "@keyward/example-mailer";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(fs.readFileSync(path.join(here, "secrets.schema.combined.json"), "utf8"));
const secrets = createSecretsClient(schema, {
  serviceName: "identity-service",
  serviceVersion: "1.0.0",
  // package.json "keyward.environment" (development); KEYWARD_ENVIRONMENT or an `environment` option win.
  defaultEnvironment: JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8")).keyward.environment,
  tokenFile: process.env.KEYWARD_TOKEN_FILE ?? path.join(here, ".keyward/service-token"),
});

const values = {};
let missing = 0;
try {
  console.log(`token: ${await secrets.register()}`);
  // Ask for each one, so every missing secret becomes a stub and every grant a request, in one run.
  for (const name of Object.keys(schema.properties).sort()) {
    try {
      values[name] = await secrets.getSecret(name);
      // Never print a secret; show that it arrived.
      console.log(`got ${name} (${values[name].length} characters)`);
    } catch (error) {
      if (!(error instanceof SecretsClientError)) throw error;
      missing++;
      console.log(`not yet: ${name}: ${error.reason}`);
    }
  }
  if (missing === 0) console.log(createMailer({ smtpPassword: values.SMTP_PASSWORD, from: "identity@example.com" }).describe());
  process.exitCode = missing === 0 ? 0 : 3;
} catch (error) {
  if (!(error instanceof SecretsClientError)) throw error;
  console.log(`not yet: ${error.reason}: ${error.message}`);
  process.exitCode = 3;
} finally {
  secrets.close();
}
