/**
 * Glob patterns over service and secret names (approval rules, issue #13): `*` matches any run of
 * characters (also none), `?` exactly one, every other character itself. Matching walks the strings
 * (no regular expression is built from the pattern, so nothing in it can inject one), in time
 * bounded by the product of the two lengths, which validation keeps at 128 each.
 */

export const PATTERN_MAX_LENGTH = 128;

const SERVICE_PATTERN_CHARS = /^[a-z0-9._@/\-*?]+$/;
const SECRET_PATTERN_CHARS = /^[A-Z0-9_*?]+$/;

function patternProblem(pattern: string, what: string, chars: RegExp, charset: string): string | undefined {
  if (pattern.length === 0) return `the ${what} pattern is empty`;
  if (pattern.length > PATTERN_MAX_LENGTH) return `the ${what} pattern is ${pattern.length} characters long; the limit is ${PATTERN_MAX_LENGTH}`;
  if (!chars.test(pattern)) return `a ${what} pattern is ${charset} plus the wildcards * and ?`;
  return undefined;
}

/** Why `pattern` is not a service-name glob (lower case letters, digits, . _ @ / - and * ?), or undefined. */
export const servicePatternProblem = (pattern: string): string | undefined =>
  patternProblem(pattern, "service", SERVICE_PATTERN_CHARS, "lower case letters, digits and . _ @ / -");

/** Why `pattern` is not a secret-name glob (A-Z, 0-9, _ and * ?), or undefined. */
export const secretPatternProblem = (pattern: string): string | undefined => patternProblem(pattern, "secret", SECRET_PATTERN_CHARS, "A-Z, 0-9 and _");

/** Whether `name` matches the glob `pattern` as a whole (`*` any run, `?` one character). */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  // Where the last `*` was, and the name position it currently stands for the end of.
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === "*") {
      star = p++;
      resume = n;
    } else if (p < pattern.length && (c === "?" || c === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
