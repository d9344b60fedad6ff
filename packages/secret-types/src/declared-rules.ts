/**
 * The JSON Schema keywords an app's schema may declare about a secret's value that the server
 * enforces too (issue #17). Nothing else travels: a schema's other keywords describe the app, not the value.
 */
export const DECLARED_RULE_KEYWORDS = ["pattern", "format", "minLength", "maxLength", "enum"] as const;

export interface DeclaredRules {
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
}

/** The whitelisted rules of a schema property (`{ type: "string", pattern: "^sk-", description: … }` → `{ pattern: "^sk-" }`), or undefined when it has none. */
export function pickDeclaredRules(property: Record<string, unknown>): DeclaredRules | undefined {
  const out: Record<string, unknown> = {};
  for (const k of DECLARED_RULE_KEYWORDS) if (property[k] !== undefined) out[k] = property[k];
  return Object.keys(out).length > 0 ? (out as DeclaredRules) : undefined;
}

/**
 * Reads declared rules sent as JSON (SecretPolicy.rules_json): a problem names what is wrong; an
 * empty text is "none declared". Unknown keywords are refused rather than silently dropped.
 */
export function parseDeclaredRules(json: string): { ok: DeclaredRules | undefined } | { problem: string } {
  if (json === "") return { ok: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { problem: "rules must be a JSON object" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { problem: "rules must be a JSON object" };
  const o = parsed as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(DECLARED_RULE_KEYWORDS as readonly string[]).includes(k)) return { problem: `rules may hold only ${DECLARED_RULE_KEYWORDS.join(", ")}; got ${k.slice(0, 40)}` };
  }
  if (o.pattern !== undefined) {
    if (typeof o.pattern !== "string") return { problem: "rules.pattern must be a string" };
    try {
      new RegExp(o.pattern, "u");
    } catch {
      return { problem: "rules.pattern is not a valid regular expression" };
    }
  }
  if (o.format !== undefined && typeof o.format !== "string") return { problem: "rules.format must be a string" };
  for (const k of ["minLength", "maxLength"] as const) {
    if (o[k] !== undefined && !(Number.isInteger(o[k]) && (o[k] as number) >= 0)) return { problem: `rules.${k} must be a non-negative integer` };
  }
  if (o.enum !== undefined && !(Array.isArray(o.enum) && o.enum.length > 0 && o.enum.every((e) => typeof e === "string"))) return { problem: "rules.enum must be a non-empty list of strings" };
  return { ok: Object.keys(o).length > 0 ? (o as DeclaredRules) : undefined };
}
