import { accept, refuse } from "./result.js";
import type { PemInspector, SecretMetadata, ValidationResult } from "./types.js";

/**
 * Whether a validator's words (a problem, a metadata key or string) repeat part of the value they were
 * given. The registry runs every custom validator's answer (and a caller-supplied PemInspector's)
 * through this, so one that writes `bad prefix 'sk_live_abc'` or `{ account: value.slice(0, 12) }`
 * cannot carry a piece of a secret into an HTTP response, a log or the clear-text metadata. The
 * built-in validators are not screened (see the registry's validate).
 *
 * The rule: a text quotes the value when it holds a run of `quoteRun(value.length)` consecutive
 * characters of the value (half the value, at least 4 and at most 8 characters), compared case-folded,
 * that the type's own `describe` text does not hold. A value of fewer than 4 characters is too short to
 * tell apart from ordinary words and is not looked for.
 *
 * - 8 characters: a run of a random token that long is a real part of the secret (48 bits of a base62
 *   key), while an ordinary message rarely shares 8 characters with a value by chance.
 * - Half a short value: 7 characters of a 10-character password are most of it, so a short value
 *   needs a shorter run (never under 4, which plain words would match).
 * - Case-folded: a validator that upper-cases what it quotes (`ACCOUNT SK_LIVE_AB…`) still quotes it.
 * - Not what `describe` holds: text the type documents for everyone (a prefix `acme_`, `sk_live_`,
 *   `-----BEGIN `) is no secret, so a message naming the rule ("must start with acme_") stays readable
 *   when the value starts that way too. A run that reaches one character past such text counts.
 *
 * What it does not catch (a guard against a careless validator, not a hostile one: a validator runs
 * in-process with the value and could send it anywhere): a reversed or otherwise rearranged value, a
 * value encoded (base64, hex, percent- or JSON-escaped), or pieces shorter than the run spread over
 * one text.
 */
export function quoteRun(valueLength: number): number | undefined {
  return valueLength < 4 ? undefined : Math.min(8, Math.max(4, Math.ceil(valueLength / 2)));
}

export interface QuoteGuard {
  /** Whether `text` holds the whole value or a run of it (see quoteRun) that the public text does not. */
  quotes(text: string): boolean;
}

/**
 * A guard for one value; `publicText` is what the type documents (its describe). Each call is linear
 * in the value's and the text's lengths: the text's runs go into a set, and the value is slid over it
 * once (the value is the large one: a key file, a certificate chain).
 */
export function quoteGuard(value: string, publicText: string): QuoteGuard {
  const run = quoteRun(value.length);
  if (run === undefined) return { quotes: () => false };
  const folded = value.toLowerCase();
  const known = publicText.toLowerCase();
  return {
    quotes(text) {
      if (text.includes(value)) return true;
      const t = text.toLowerCase();
      if (t.length < run) return false;
      const runs = new Set<string>();
      for (let i = 0; i + run <= t.length; i++) {
        const r = t.slice(i, i + run);
        if (!known.includes(r)) runs.add(r);
      }
      if (runs.size === 0) return false;
      for (let i = 0; i + run <= folded.length; i++) if (runs.has(folded.slice(i, i + run))) return true;
      return false;
    },
  };
}

/** What a refusal says instead of a validator's message that quoted the value (or a part of it). */
export const WITHHELD_PROBLEM = "the value does not match this type (the validator's message quoted the value and was withheld)";

/**
 * A validator's answer with every quote of the value taken out, or undefined when the answer is not a
 * ValidationResult at all. A problem that quotes the value is replaced by WITHHELD_PROBLEM. A metadata
 * field whose key or text quotes it is dropped (unless `publicParts` names it), and so is one that is
 * not a string, number or boolean. Fields are dropped rather than the value refused: the validator
 * did accept the value, and metadata is a derived convenience, so careless metadata costs its field,
 * not the admin's write (nor does it teach anyone which part of the value it matched).
 */
export function screenedResult(result: unknown, value: string, publicText: string, publicParts: readonly string[] = []): ValidationResult | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as { ok?: unknown; problem?: unknown; metadata?: unknown };
  const guard = quoteGuard(value, publicText);
  if (r.ok === false) return typeof r.problem === "string" ? refuse(guard.quotes(r.problem) ? WITHHELD_PROBLEM : r.problem) : undefined;
  if (r.ok !== true) return undefined;
  const metadata: SecretMetadata = {};
  if (typeof r.metadata !== "object" || r.metadata === null) return accept(metadata);
  for (const [key, field] of Object.entries(r.metadata)) {
    if (typeof field !== "string" && typeof field !== "number" && typeof field !== "boolean") continue;
    if (!publicParts.includes(key) && (guard.quotes(key) || (typeof field !== "boolean" && guard.quotes(String(field))))) continue;
    metadata[key] = field;
  }
  return accept(metadata);
}

/**
 * A PemInspector that is not one of this package's: its answers are screened like a custom
 * validator's (against the PEM text it was given), since the built-in types that read PEM pass its
 * problem and key facts on. Its answers embed in the built-in messages ("private_key: …").
 */
export function screenedInspector(pem: PemInspector): PemInspector {
  const failed = refuse("could not be read by the PEM inspector");
  return {
    certificate: (text) => screenedResult(pem.certificate(text), text, "") ?? failed,
    privateKey: (text) => screenedResult(pem.privateKey(text), text, "") ?? failed,
  };
}
