import { generateSecretsFiles, readIfExists, type GenerateOptions } from "./generate.js";

export interface StaleFile {
  path: string;
  status: "missing" | "stale";
  /** A short, human summary of the difference, e.g. "+3/-1 lines; first difference at line 12". */
  summary: string;
}

/** The generated files that are missing or differ from what `generate` would write; empty when up to date. */
export async function checkGeneratedFiles(options: GenerateOptions | string): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of await generateSecretsFiles(options)) {
    const onDisk = readIfExists(file.path);
    if (onDisk === undefined) stale.push({ path: file.path, status: "missing", summary: "missing; generate has not been run" });
    else if (onDisk !== file.content) stale.push({ path: file.path, status: "stale", summary: summarizeDiff(onDisk, file.content) });
  }
  return stale;
}

const clip = (line: string) => (line.length > 100 ? line.slice(0, 97) + "..." : line);

/** "+A/-R lines" (after trimming the common head and tail) and the first differing line of each side. */
export function summarizeDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removedBlock = a.slice(head, a.length - tail);
  const addedBlock = b.slice(head, b.length - tail);
  // Lines that only moved within the changed block are not counted (or shown) as changes.
  const pool = new Map<string, number>();
  for (const line of removedBlock) pool.set(line, (pool.get(line) ?? 0) + 1);
  const addedLines = addedBlock.filter((line) => {
    const n = pool.get(line) ?? 0;
    if (n > 0) pool.set(line, n - 1);
    return n === 0;
  });
  const removedLines = removedBlock.filter((line) => {
    const n = pool.get(line) ?? 0;
    if (n > 0) pool.set(line, n - 1);
    return n > 0;
  });
  const lines = [`+${addedLines.length}/-${removedLines.length} lines; first difference at line ${head + 1}:`];
  if (removedLines[0] !== undefined) lines.push(`- ${clip(removedLines[0])}`);
  if (addedLines[0] !== undefined) lines.push(`+ ${clip(addedLines[0])}`);
  if (addedLines.length + removedLines.length === 0) lines.push("(lines moved)");
  return lines.join("\n");
}
