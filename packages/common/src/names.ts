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
