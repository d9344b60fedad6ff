import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { connectPostgres } from "../src/index.js";
import { testPostgresAdminUrl } from "../src/testing.js";
import { parseTimestamptz, TIMESTAMPTZ_OID } from "../src/timestamptz.js";

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => Date | number | null;
const same = (text: string) => {
  const ours = parseTimestamptz(text);
  const theirs = pgParse(text);
  return { text, ours: ours instanceof Date ? ours.getTime() : ours, theirs: theirs instanceof Date ? theirs.getTime() : theirs };
};
const agree = (texts: string[]) => {
  const results = texts.map(same);
  expect(results.filter((r) => !Object.is(r.ours, r.theirs))).toEqual([]);
};

/** A deterministic generator (xorshift) for the fuzz cases. */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
const pad = (v: number, w: number) => String(v).padStart(w, "0");

describe("parseTimestamptz", () => {
  it("reads UTC timestamps by position to the same Date as pg's parser, with 0 to 6 fraction digits", () => {
    agree(["2026-12-02 08:02:10+00", "2026-12-02 08:02:10.1+00", "2026-12-02 08:02:10.12+00", "2026-12-02 08:02:10.123+00", "2026-12-02 08:02:10.123456+00", "2026-12-02 08:02:10.999999+00", "1000-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00", "2024-02-29 12:00:00.5+00"]);
    expect(parseTimestamptz("2026-12-02 08:02:10.123456+00")).toEqual(new Date("2026-12-02T08:02:10.123Z"));
  });

  it("leaves everything else to pg's parser: other offsets, early and BC years, infinity, malformed text", () => {
    agree(["2026-12-02 08:02:10+05:30", "2026-12-02 08:02:10.5-08", "0099-06-01 00:00:00+00", "0001-01-01 00:00:00+00 BC", "12026-01-01 00:00:00+00", "infinity", "-infinity", "2026-12-02T08:02:10+00", "2026-12-02 08:02:10.+00", "2026-1a-02 08:02:10+00", "2026-12-02 08:02:10.12a+00", "2026-12-02 08:02:10.1234567+00", "garbage"]);
  });

  it("agrees with pg's parser on 20,000 generated strings, valid and not", () => {
    const r = rng(0x2545f491);
    const texts: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      let t = `${pad(r(10_000), 4)}-${pad(1 + r(12), 2)}-${pad(1 + r(28), 2)} ${pad(r(24), 2)}:${pad(r(60), 2)}:${pad(r(60), 2)}`;
      const digits = r(8); // 7 is one too many
      if (digits > 0) t += "." + Array.from({ length: digits }, () => r(10)).join("");
      t += ["+00", "+00", "+00", "-07", "+05:30", "+00 BC", ""][r(7)];
      // Now and then a character replaced by another, so malformed text is covered too.
      if (r(10) === 0) {
        const i = r(t.length);
        t = t.slice(0, i) + "0a:-. +"[r(7)] + t.slice(i + 1);
      }
      texts.push(t);
    }
    agree(texts);
  });

  it("reads what PostgreSQL sends through a Keyward connection as PostgreSQL's own text says", async () => {
    const kdb = connectPostgres(testPostgresAdminUrl(), { max: 1 });
    try {
      const { rows } = await sql<{ at: Date; text: string }>`
        select t as at, to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as text
        from (select timestamptz '2026-12-02 08:02:10.123456+00' + g * interval '37 minutes 13.000317 seconds' as t from generate_series(-5000, 5000, 7) g) s`.execute(kdb.db);
      expect(rows.length).toBeGreaterThan(1000);
      for (const row of rows) expect(row.at.toISOString(), row.text).toBe(row.text.slice(0, 23) + "Z");
    } finally {
      await kdb.close();
    }
  });
});
