import fs from "node:fs";

/**
 * Sets `KEY=value` lines in a .env file: existing keys are updated in place, new ones appended,
 * every other line (comments, the app's own variables) kept as it was. Returns what changed.
 */
export function upsertEnvFile(file: string, entries: Record<string, string>): { created: boolean; changed: string[] } {
  const existed = fs.existsSync(file);
  const lines = existed ? fs.readFileSync(file, "utf8").split(/\r?\n/) : [];
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const changed: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const line = `${key}=${value}`;
    const at = lines.findIndex((l) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(l));
    if (at === -1) {
      lines.push(line);
      changed.push(key);
    } else if (lines[at] !== line) {
      lines[at] = line;
      changed.push(key);
    }
  }
  if (changed.length > 0 || !existed) fs.writeFileSync(file, lines.join("\n") + "\n");
  return { created: !existed, changed };
}

/** Adds `entry` to a .gitignore unless a line already ignores it. */
export function ensureIgnored(file: string, entry: string): boolean {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const bare = entry.replace(/\/$/, "");
  if (text.split(/\r?\n/).some((l) => [entry, bare, `/${entry}`, `/${bare}`].includes(l.trim()))) return false;
  fs.writeFileSync(file, (text === "" || text.endsWith("\n") ? text : text + "\n") + entry + "\n");
  return true;
}
