import path from "node:path";

/**
 * What kind of failure: lets callers (and the CLI) branch without parsing messages. `file_access`:
 * a file is there but cannot be used (a directory where a file belongs, a looping symlink, no permission).
 */
export type SchemaErrorCode = "invalid_json" | "invalid_schema" | "invalid_config" | "conflict" | "cycle" | "not_found" | "file_access";

/** One problem: where it is (file, JSON pointer, and line/column for syntax errors), what, and how to fix it. */
export interface SchemaIssue {
  file: string;
  /** RFC 6901 pointer into the file ("" = the whole document). */
  pointer: string;
  message: string;
  fix: string;
  line?: number;
  column?: number;
}

/** Every expected failure of the schema system; `issues` is never empty. */
export class SchemaError extends Error {
  override readonly name = "SchemaError";

  constructor(
    readonly code: SchemaErrorCode,
    readonly issues: SchemaIssue[],
  ) {
    super(formatIssues(code, issues));
  }

  /** A human message; paths are shown relative to `cwd` when they are inside it. */
  format(cwd: string = process.cwd()): string {
    return formatIssues(this.code, this.issues, cwd);
  }
}

const headline: Record<SchemaErrorCode, string> = {
  invalid_json: "malformed JSON",
  invalid_schema: "invalid secrets schema",
  invalid_config: "invalid keyward config",
  conflict: "conflicting secret declarations",
  cycle: "dependency cycle",
  not_found: "not found",
  file_access: "cannot use file",
};

function displayPath(file: string, cwd?: string): string {
  if (!cwd) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function formatIssues(code: SchemaErrorCode, issues: SchemaIssue[], cwd?: string): string {
  const count = issues.length === 1 ? "" : ` (${issues.length} problems)`;
  const lines = [`${headline[code]}${count}:`];
  for (const issue of issues) {
    const where = displayPath(issue.file, cwd) + (issue.line !== undefined ? `:${issue.line}:${issue.column ?? 1}` : "");
    lines.push(`  ${where}${issue.pointer ? ` at ${issue.pointer}` : ""}: ${issue.message}`, `    fix: ${issue.fix}`);
  }
  return lines.join("\n");
}
