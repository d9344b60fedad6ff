// A library package: it needs SMTP_PASSWORD, declares it in its own secrets.schema.json, and
// takes it from the app that uses it. The app's combined schema includes it (keyward-secrets generate).
export function createMailer({ smtpPassword, from }) {
  if (typeof smtpPassword !== "string" || smtpPassword.length === 0) throw new Error("createMailer: smtpPassword is required");
  return {
    from,
    // Never exposes the password; a real mailer would open its SMTP connection here.
    describe: () => `mailer sending as ${from} (SMTP password: ${smtpPassword.length} characters)`,
  };
}
