import { SECRET_TYPE_ALIASES } from "./names.js";
import { structuralPemInspector } from "./pem.js";
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
  /** Validates a value as `type`; a refusal reads "type <name>: <rule>" and never contains the value. */
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
  for (const t of builtInSecretTypes(options.pem ?? structuralPemInspector)) types.set(t.name, t);

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
      let result: ValidationResult;
      try {
        result = definition.validate(value);
      } catch {
        // A thrown message could quote the value; only the fact is reported.
        return refuse(`type ${type}: the validator failed on this value`);
      }
      if (result.ok) return result;
      // A custom validator could echo what it was given: a problem that contains the value is withheld.
      const problem = value.length >= 4 && result.problem.includes(value) ? "refused (the rule's message was withheld because it quoted the value)" : result.problem;
      return refuse(`type ${type}: ${problem}`);
    },
    registerSecretType(definition) {
      const { name } = definition ?? {};
      if (typeof name !== "string" || !NAME.test(name)) throw new Error(`registerSecretType: name must be kebab case (e.g. acme-token), got ${JSON.stringify(name)}`);
      if (types.has(name) || name in SECRET_TYPE_ALIASES) throw new Error(`registerSecretType: ${name} is already a secret type`);
      if (typeof definition.validate !== "function") throw new Error(`registerSecretType: ${name} needs a validate(value) function`);
      if (typeof definition.describe !== "string" || definition.describe === "") throw new Error(`registerSecretType: ${name} needs a describe text`);
      types.set(name, definition);
    },
  };
  for (const t of options.types ?? []) registry.registerSecretType(t);
  return registry;
}
