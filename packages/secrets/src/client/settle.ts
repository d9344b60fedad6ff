import { SecretsBatchError, SecretsClientError } from "./errors.js";

/**
 * Awaits one promise per name and builds the result object; every refused name is collected into
 * one SecretsBatchError (in request order) rather than failing on the first.
 */
export async function settleByName(names: string[], promises: Promise<string | undefined>[]): Promise<Record<string, string | undefined>> {
  const settled = await Promise.allSettled(promises);
  const result: Record<string, string | undefined> = {};
  const failures: SecretsClientError[] = [];
  settled.forEach((s, i) => {
    const name = names[i]!;
    if (s.status === "fulfilled") result[name] = s.value;
    else failures.push(s.reason instanceof SecretsClientError ? s.reason : new SecretsClientError(name, "internal", `cannot fetch secret ${name}: ${(s.reason as Error)?.message ?? "failed"}`));
  });
  if (failures.length > 0) throw new SecretsBatchError(failures);
  return result;
}
