// One app, two environments. It reads PAYMENTS_API_KEY from the environment it runs in:
// package.json "keyward.environment" (development) by default, KEYWARD_ENVIRONMENT=production in
// production. Each environment has its own token (a token is bound to one environment for life),
// its own value and its own grant. One command:
//   pnpm --filter @keyward/example-environments start                              # development
//   KEYWARD_ENVIRONMENT=production KEYWARD_TOKEN_FILE=.keyward/production-token pnpm --filter @keyward/example-environments start
// A TypeScript app gets the same from the generated secrets.ts: `createSecretsClient({ serviceName })`.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSecretsClient, SecretsClientError } from "@keyward/secrets";

const here = path.dirname(fileURLToPath(import.meta.url));
const read = (file) => JSON.parse(fs.readFileSync(path.join(here, file), "utf8"));
const schema = read("secrets.schema.combined.json");
const defaultEnvironment = read("package.json").keyward.environment;
const environment = process.env.KEYWARD_ENVIRONMENT || defaultEnvironment;
const secrets = createSecretsClient(schema, {
  serviceName: "environments-example",
  serviceVersion: "1.0.0",
  defaultEnvironment,
  tokenFile: process.env.KEYWARD_TOKEN_FILE ?? path.join(here, `.keyward/${environment}-token`),
});

console.log(`environment: ${environment}`);
try {
  console.log(`token: ${await secrets.register()}`);
  const key = await secrets.getSecret("PAYMENTS_API_KEY");
  // Never print a secret: a short fingerprint shows which value arrived.
  const fingerprint = createHash("sha256").update(key).digest("hex").slice(0, 12);
  console.log(`got PAYMENTS_API_KEY (${key.length} characters, sha256 ${fingerprint})`);
} catch (error) {
  if (!(error instanceof SecretsClientError)) throw error;
  console.log(`not yet: ${error.reason}`);
  process.exitCode = 3;
} finally {
  await secrets.close();
}
