// The typed Keyward client for template-name: getSecret accepts only the names its schema declares.
// secrets.ts is generated from secrets.schema.json (and its dependencies' schemas): pnpm secrets:generate.
import { createSecretsClient } from "@keyward/secrets";
import { secretsSchema } from "./secrets.js";

export const secrets = createSecretsClient(secretsSchema, {
  serviceName: "template-name",
  serviceVersion: process.env.npm_package_version ?? "0.0.0",
  // The service's gRPC address comes from KEYWARD_URL (default 127.0.0.1:50051), and the token is
  // created on first use in .keyward/service-token (mode 0600) unless KEYWARD_TOKEN is set.
});
