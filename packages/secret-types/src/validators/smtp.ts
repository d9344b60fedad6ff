import { accept } from "../result.js";
import { parseSmtp } from "../shapes/smtp.js";
import type { SecretTypeDefinition } from "../types.js";

/**
 * An SMTP login, read by parseSmtp as the connection test reads it: smtp://user:pass@host[:587]
 * (STARTTLS), smtps://user:pass@host[:465], or JSON {"host", "port"?, "secure"?, "user", "pass"}.
 * Metadata: host, port and whether TLS starts at once; never the user or the password.
 */
export const smtp: SecretTypeDefinition = {
  name: "smtp",
  describe: 'An SMTP login: smtp://user:pass@host[:587], smtps://user:pass@host[:465], or JSON {"host", "port", "secure", "user", "pass"}',
  validate(value) {
    const parsed = parseSmtp(value);
    if (!parsed.ok) return parsed;
    const { host, port, secure } = parsed.value;
    return accept({ host, port, secure });
  },
};
