// The provider contract for provider "env": values from the environment, checked by the schema.
// Throttling, outages, denial and naming rules do not apply to environment variables.
import { describeProviderContract } from "./contract.js";

describeProviderContract("env", async () => {
  const vars: Record<string, string> = {};
  return {
    provider: () => "env",
    clientOptions: { env: vars, envFile: "/nonexistent/keyward-contract.env" },
    put: (path, value) => void (vars[path] = value),
    remove: (path) => void delete vars[path],
    credentials: [],
    close: async () => undefined,
  };
});
