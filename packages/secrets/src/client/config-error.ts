/** A bad option or environment variable; `setting` names it (e.g. "KEYWARD_URL" or "options.timeoutMs"). */
export class SecretsConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = "SecretsConfigError";
  }
}
