import { formatTable } from "@keyward/common";

/** Whether a stream is a terminal (colours and tables for people) and NO_COLOR is unset. */
export function isColourTerminal(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
}

const CODES = { green: 32, yellow: 33, red: 31, dim: 2, bold: 1, cyan: 36 } as const;
export type Colour = keyof typeof CODES;

/** A painter that colours only on a colour terminal. */
export function painter(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): (colour: Colour, text: string) => string {
  return isColourTerminal(stream, env) ? (colour, text) => `\u001b[${CODES[colour]}m${text}\u001b[0m` : (_colour, text) => text;
}

/**
 * Prints rows as JSON (--json: the array, for scripts) or as a table (for people), with `empty`
 * when there are none. Columns pick each row's cells; JSON keeps the rows whole.
 */
export function printRows<T>(out: NodeJS.WritableStream, json: boolean, rows: T[], columns: Record<string, (row: T) => string>, empty: string): void {
  if (json) {
    out.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  if (rows.length === 0) {
    out.write(empty + "\n");
    return;
  }
  const header = Object.keys(columns);
  out.write(formatTable(header, rows.map((row) => Object.values(columns).map((cell) => cell(row)))) + "\n");
}
