import { SECRET_TYPE_ALIASES } from "./names.js";
import { screenedInspector, screenedResult, WITHHELD_PROBLEM } from "./quote-guard.js";
import { isOwnPemInspector, structuralPemInspector } from "./pem.js";
import { refuse } from "./result.js";
import type { PemInspector, SecretTypeDefinition, ValidationResult } from "./types.js";
import { builtInSecretTypes } from "./validators/index.js";

export interface SecretTypeRegistryOptions {
  /** How PEM certificates and keys are read; `@keyward/secret-types/node` passes a node:crypto one. */
  pem?: PemInspector;
  /** Custom types to register at once (see registerSecretType). */
  types?: SecretTypeDefinition[];
}

export interface SecretTypeRegistry {
  /** The canonical names (built-in, then custom), aliases left out. */
  names(): string[];
  /** The canonical name for a name or alias ("certificate" → "pem-certificate"); undefined when unknown. */
  canonical(name: string): string | undefined;
  get(name: string): SecretTypeDefinition | undefined;
  /**
   * Validates a value as `type`; a refusal reads "type <name>: <rule>" and never contains the value.
   * A custom type's answer holds no part of it either: a message that quotes a run of the value (also
   * with separators stripped or escapes added, or for a short value in pieces that together make one)
   * is withheld, and metadata fields that quote it are dropped (unless the type lists them in
   * publicValueParts). See quote-guard.ts for what counts as a quote.
   */
  validate(type: string, value: string): ValidationResult;
  /**
   * Adds a custom type, e.g. `registerSecretType({ name: "acme-token", describe: "…", validate })`.
   * Throws on a name that is taken (built-in or alias) or not kebab case: a configuration mistake.
   */
  registerSecretType(definition: SecretTypeDefinition): void;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function createSecretTypeRegistry(options: SecretTypeRegistryOptions = {}): SecretTypeRegistry {
  const types = new Map<string, SecretTypeDefinition>();
  // A PemInspector the caller wrote is screened like a custom validator (the PEM types pass its answers on).
  const pem = options.pem === undefined ? structuralPemInspector : isOwnPemInspector(options.pem) ? options.pem : screenedInspector(options.pem);
  const builtIns = new Set(builtInSecretTypes(pem));
  for (const t of builtIns) types.set(t.name, t);

  const canonical = (name: string) => (types.has(name) ? name : SECRET_TYPE_ALIASES[name]);

  const registry: SecretTypeRegistry = {
    names: () => [...types.keys()],
    canonical,
    get: (name) => {
      const c = canonical(name);
      return c === undefined ? undefined : types.get(c);
    },
    validate(type, value) {
      const definition = registry.get(type);
      if (!definition) return refuse(`type ${type} is not a registered secret type`);
      const failed = refuse(`type ${type}: the validator failed on this value`);
      let result: unknown;
      try {
        result = definition.validate(value);
      } catch {
        // A thrown message could quote the value; only the fact is reported.
        return failed;
      }
      // The built-in validators are this package's reviewed code: their problems are fixed rule text and
      // their metadata the fields the README lists (a URL's host, a client id: parts of the value by
      // design), tested to hold nothing secret. A substring rule would misjudge them: their messages
      // share PEM armour and JSON keys with the values. A custom validator's answer is screened for
      // quotes of the value (see quote-guard.ts).
      const answer = builtIns.has(definition) ? (result as ValidationResult) : screenedResult(result, value, definition.describe, definition.publicValueParts);
      if (answer === undefined) return failed;
      if (answer.ok) return answer;
      const problem = value.length >= 4 && answer.problem.includes(value) ? WITHHELD_PROBLEM : answer.problem;
      return refuse(`type ${type}: ${problem}`);
    },
    registerSecretType(definition) {
      const { name } = definition ?? {};
      if (typeof name !== "string" || !NAME.test(name)) throw new Error(`registerSecretType: name must be kebab case (e.g. acme-token), got ${JSON.stringify(name)}`);
      if (types.has(name) || name in SECRET_TYPE_ALIASES) throw new Error(`registerSecretType: ${name} is already a secret type`);
      if (typeof definition.validate !== "function") throw new Error(`registerSecretType: ${name} needs a validate(value) function`);
      if (typeof definition.describe !== "string" || definition.describe === "") throw new Error(`registerSecretType: ${name} needs a describe text`);
      const parts = definition.publicValueParts;
      if (parts !== undefined && !(Array.isArray(parts) && parts.every((p) => typeof p === "string"))) throw new Error(`registerSecretType: ${name}'s publicValueParts must be a list of metadata field names`);
      types.set(name, definition);
    },
  };
  for (const t of options.types ?? []) registry.registerSecretType(t);
  return registry;
}
