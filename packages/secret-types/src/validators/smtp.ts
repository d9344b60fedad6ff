import { accept, refuse } from "../result.js";
import { field, jsonObject } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

/**
 * An SMTP login, in the shape the connection test reads: smtp://user:pass@host[:587] (STARTTLS),
 * smtps://user:pass@host[:465], or JSON {"host", "port"?, "secure"?, "user", "pass"}.
 * Metadata: host, port and whether TLS starts at once; never the user's password.
 */
export const smtp: SecretTypeDefinition = {
  name: "smtp",
  describe: 'An SMTP login: smtp://user:pass@host[:587], smtps://user:pass@host[:465], or JSON {"host", "port", "secure", "user", "pass"}',
  validate(value) {
    const trimmed = value.trim();
    if (trimmed.startsWith("{")) {
      const json = jsonObject(trimmed, '{"host", "port", "secure", "user", "pass"}');
      if ("refusal" in json) return json.refusal;
      const host = field(json.object, "host");
      if (!host) return refuse("host is missing");
      if (!field(json.object, "user")) return refuse("user is missing");
      if (!field(json.object, "pass")) return refuse("pass is missing");
      const secureRaw = json.object.secure;
      if (secureRaw !== undefined && typeof secureRaw !== "boolean") return refuse("secure must be true or false");
      const secure = secureRaw === true;
      const port = json.object.port === undefined ? (secure ? 465 : 587) : Number(json.object.port);
      if (!Number.isInteger(port) || port < 1 || port > 65_535) return refuse("port must be a whole number from 1 to 65535");
      return accept({ host, port, secure });
    }
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return refuse("must be an smtp:// or smtps:// URL, or JSON");
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") return refuse("the URL's scheme must be smtp or smtps");
    if (!url.hostname) return refuse("must name a host");
    if (!url.username || !url.password) return refuse("must carry the user and password to log in with (smtp://user:pass@host)");
    const secure = url.protocol === "smtps:";
    return accept({ host: url.hostname, port: url.port ? Number(url.port) : secure ? 465 : 587, secure });
  },
};
