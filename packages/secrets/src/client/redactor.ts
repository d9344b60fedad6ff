export interface Redactor {
  /** Remembers a value the client handed out. */
  remember(name: string, value: string): void;
  /** `text` with every remembered value replaced by `[redacted:NAME]`. */
  redact(text: string): string;
  clear(): void;
}

/**
 * Masks every value the client has handed out since it was created (current and earlier versions),
 * so an app can scrub its own log lines. Longer values are replaced first, so a value that contains
 * another is masked whole, in one pass.
 */
export function createRedactor(): Redactor {
  const names = new Map<string, string>();
  let pattern: RegExp | undefined;
  return {
    remember(name, value) {
      if (value.length === 0 || names.get(value) === name) return;
      names.set(value, name);
      pattern = undefined;
    },
    redact(text) {
      if (names.size === 0) return text;
      // One pass, longest value first, so no replacement is matched again by a shorter value.
      pattern ??= new RegExp(
        [...names.keys()]
          .sort((a, b) => b.length - a.length)
          .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("|"),
        "g",
      );
      return text.replace(pattern, (value) => `[redacted:${names.get(value)}]`);
    },
    clear() {
      names.clear();
      pattern = undefined;
    },
  };
}
