/** Secret names: upper snake case, as in environment variables, so migration is a rename-free move. */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,127}$/;
export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9._@/-]{0,127}$/;

export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the secret name is empty";
  if (name.length > 128) return `the secret name is ${name.length} characters long; the limit is 128`;
  if (!SECRET_NAME_PATTERN.test(name)) return "a secret name must be upper snake case (A-Z, 0-9 and _), starting with a letter, e.g. STRIPE_API_KEY";
  return undefined;
}

export function serviceNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the service name is empty";
  if (!SERVICE_NAME_PATTERN.test(name)) return "a service name is lower case letters, digits and . _ @ / -, up to 128 characters, e.g. identity-service";
  return undefined;
}

// C0 controls and DEL; a description may keep tab, newline and carriage return.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Why free text from a caller (a description, a version, a search) cannot be stored or searched,
 * or undefined: a NUL or another control character (which PostgreSQL refuses in text, or which
 * would corrupt a log line or a CSV export). `multiline` allows tab, newline and carriage return.
 */
export function textProblem(text: string, options: { multiline?: boolean } = {}): string | undefined {
  const match = (options.multiline ? CONTROL_BUT_WHITESPACE : CONTROL).exec(text);
  if (!match) return undefined;
  return `contains a control character (U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) at position ${match.index}`;
}
