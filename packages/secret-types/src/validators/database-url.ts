import { accept } from "../result.js";
import { DATABASE_URL_SCHEMES, parseDatabaseUrl } from "../shapes/database-url.js";
import type { SecretTypeDefinition } from "../types.js";

export const databaseUrl: SecretTypeDefinition = {
  name: "database-url",
  describe: `A connection URL: ${DATABASE_URL_SCHEMES.join(", ")}://[user[:password]@]host[:port]/database`,
  validate(value) {
    const parsed = parseDatabaseUrl(value);
    if (!parsed.ok) return parsed;
    const { scheme, host, port, database } = parsed.value;
    // Never the user's password; the user name is not taken either (the DSN's secret part).
    return accept({ scheme, host, ...(port !== undefined ? { port } : {}), ...(database ? { database } : {}) });
  },
};
