import { accept, refuse } from "../result.js";
import type { SecretTypeDefinition } from "../types.js";

const SCHEMES = ["postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss", "sqlserver", "mssql", "cockroachdb", "clickhouse", "amqp", "amqps"];

export const databaseUrl: SecretTypeDefinition = {
  name: "database-url",
  describe: `A connection URL: ${SCHEMES.join(", ")}://[user[:password]@]host[:port]/database`,
  validate(value) {
    const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
    if (!m) return refuse("must be a URL scheme://host/… (e.g. postgres://host:5432/db)");
    const scheme = m[1]!.toLowerCase();
    if (!SCHEMES.includes(scheme)) return refuse(`scheme must be one of ${SCHEMES.join(", ")}`);
    // MongoDB lists replica-set members (a:1,b:2), which URL cannot parse: the first one describes it.
    const parseable = value.replace(/^([^/]*\/\/(?:[^@/]*@)?)([^/?,]+),[^/?]*/, "$1$2");
    let url: URL;
    try {
      url = new URL(parseable);
    } catch {
      return refuse("must be a valid URL (check the host, the port and that the password is percent-encoded)");
    }
    if (url.hostname === "") return refuse("must name a host");
    const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
    // Never the user's password; the user name is not taken either (the DSN's secret part).
    return accept({ scheme, host: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), ...(database ? { database } : {}) });
  },
};
