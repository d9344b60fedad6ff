// Runs a Keyward service (embedded PGlite in ./data) that serves this app at /admin/.
// `pnpm --filter @keyward/example-admin-app start` builds the app first.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSecretsService } from "@keyward/service";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts Keyward with this app's build as its /admin/ site; returns the running service. */
export async function startAdminApp(options = {}) {
  return startSecretsService({ dataDir: path.join(here, "data"), consoleDir: path.join(here, "dist"), ...options });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The token is shown on a terminal only; where the output is a log it goes to a 0600 file.
  const service = await startAdminApp({ bootstrapToken: process.stdout.isTTY ? "return" : "file" });
  console.log(`Acme admin (the sdk components): ${service.adminUrl}/admin/`);
  if (service.bootstrapToken) console.log(`Bootstrap admin token (shown once): ${service.bootstrapToken}`);
  if (service.bootstrapTokenFile) console.log(`Bootstrap admin token file (delete it once stored): ${service.bootstrapTokenFile}`);
  const stop = () => service.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
