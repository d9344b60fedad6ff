// The typed Keyward client for template-name: getSecret accepts only the names its schema declares.
// secrets.ts is generated from secrets.schema.json (and its dependencies' schemas): pnpm secrets:generate.
// Its createSecretsClient reads the environment from KEYWARD_ENVIRONMENT, else package.json
// "keyward.environment" (development); run with KEYWARD_ENVIRONMENT=production in production.
import { createSecretsClient } from "./secrets.js";

export const secrets = createSecretsClient({
  serviceName: "template-name",
  serviceVersion: process.env.npm_package_version ?? "0.0.0",
  // The service's gRPC address comes from KEYWARD_URL (default 127.0.0.1:50051), and the token is
  // created on first use in .keyward/service-token (mode 0600) unless KEYWARD_TOKEN is set. A token
  // is bound to one environment: give each environment its own (KEYWARD_TOKEN_FILE).
});
