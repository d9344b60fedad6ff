import pg from "pg";

/** OID of timestamptz. */
export const TIMESTAMPTZ_OID = 1184;

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => Date | number | null;

/** Where "YYYY-MM-DD HH:MM:SS" holds digits. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const isDigit = (c: number) => c >= 48 && c <= 57;
const num = (s: string, from: number, to: number): number => {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
};

/**
 * timestamptz as PostgreSQL sends it in a UTC session ("2026-12-02 08:02:10.123456+00"), read by
 * position; anything else (another offset, a year before 1000 or after 9999, BC, infinity) goes to
 * pg's own parser. pg's parser runs regular expressions on every value, about 6% of an admin list
 * page's CPU (bench/README.md). Same Date to the millisecond, the fraction truncated as pg does.
 */
export function parseTimestamptz(text: string): Date | number | null {
  const n = text.length; // 22 without a fraction, 24 to 29 with one of 1 to 6 digits
  if (n < 22 || n > 29 || n === 23 || !text.endsWith("+00")) return pgParse(text);
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== " " || text[13] !== ":" || text[16] !== ":" || (n > 22 && text[19] !== ".")) return pgParse(text);
  for (const i of DIGITS) if (!isDigit(text.charCodeAt(i))) return pgParse(text);
  for (let i = 20; i < n - 3; i++) if (!isDigit(text.charCodeAt(i))) return pgParse(text);
  const year = num(text, 0, 4);
  if (year < 1000) return pgParse(text); // Date.UTC reads 0–99 as 1900–1999; pg's parser corrects that
  // Milliseconds: the fraction's first three digits, zero-padded; the rest dropped.
  const end = Math.min(23, n - 3);
  const ms = n > 22 ? num(text, 20, end) * 10 ** (23 - end) : 0;
  return new Date(Date.UTC(year, num(text, 5, 7) - 1, num(text, 8, 10), num(text, 11, 13), num(text, 14, 16), num(text, 17, 19), ms));
}
