import { WorkflowError } from "./errors.js";

/** The four spellings a placeholder (and a --name) is renamed in. */
export interface NameForms {
  kebab: string;
  camel: string;
  pascal: string;
  snake: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Why `name` is not a usable kebab-case name, or undefined. */
export function kebabNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the name is empty";
  if (name.length > 64) return `the name is ${name.length} characters long; the limit is 64`;
  if (!KEBAB.test(name)) return `"${name}" is not kebab-case: use lower-case letters and digits separated by single hyphens, starting with a letter, e.g. acme-secrets`;
  return undefined;
}

export function nameForms(kebab: string): NameForms {
  const words = kebab.split("-");
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return {
    kebab,
    camel: words[0] + words.slice(1).map(cap).join(""),
    pascal: words.map(cap).join(""),
    snake: words.map((w) => w.toUpperCase()).join("_"),
  };
}

/** Replaces every spelling of `from` by the same spelling of `to`. */
export function renameAll(text: string, from: NameForms, to: NameForms): string {
  // Longest first, so a form that contains another is replaced whole.
  const pairs = (["kebab", "camel", "pascal", "snake"] as const).map((k) => [from[k], to[k]] as const).sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [a, b] of pairs) out = out.split(a).join(b);
  return out;
}

export function requireKebabName(name: string, flag = "--name"): NameForms {
  const problem = kebabNameProblem(name);
  if (problem) throw new WorkflowError("bad_name", `${flag}: ${problem}`);
  return nameForms(name);
}
