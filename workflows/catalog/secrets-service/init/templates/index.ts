// template-name: our Keyward secrets service. Configure it with the environment
// (KEYWARD_DATA_DIR, DATABASE_URL, KEYWARD_GRPC_PORT, KEYWARD_HTTP_PORT, …; see keyward-service help).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSecretsService } from "@keyward/service";
import { templateNameCallbacks } from "./callbacks.js";

const here = path.dirname(fileURLToPath(import.meta.url));
// The secrets our apps declare; each one missing from the database becomes a stub at start, so an
// admin can fill it before the first app asks. Regenerate it with keyward-secrets (see README).
const combined = JSON.parse(fs.readFileSync(path.join(here, "..", "secrets.schema.combined.json"), "utf8")) as {
  properties: Record<string, { description: string }>;
};
const TEMPLATE_NAME_EXPECTED_SECRETS = Object.entries(combined.properties).map(([name, secret]) => ({ name, description: secret.description }));

// The first start's owner token is shown on a terminal; where the output is a log (a container,
// systemd) it goes to <data dir>/bootstrap-admin-token, readable only by this user.
const service = await startSecretsService({
  callbacks: templateNameCallbacks,
  expectedSecrets: TEMPLATE_NAME_EXPECTED_SECRETS,
  bootstrapToken: process.stdout.isTTY ? "return" : "file",
});
console.log(`TemplateName is running: gRPC ${service.grpcAddress}, admin API ${service.adminUrl}/api`);
if (service.bootstrapToken) {
  // Shown once, on first start only; the service keeps only its hash.
  console.log(`First start: bootstrap admin token (store it safely, it is not shown again): ${service.bootstrapToken}`);
}
if (service.bootstrapTokenFile) console.log(`First start: the bootstrap admin token is in ${service.bootstrapTokenFile}; store it safely, then delete the file`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    console.log(`${signal}: draining calls in flight`);
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
