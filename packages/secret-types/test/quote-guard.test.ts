import { describe, expect, it } from "vitest";
import { accept, createSecretTypeRegistry, refuse, type SecretTypeDefinition, type ValidationResult } from "../src/index.js";
import { quoteGuardWork, SPREAD_LIMIT } from "../src/quote-guard.js";

// The rules themselves are in quote-guard.ts's doc comment; registry.test.ts has the first ones (a run in one text).
const WITHHELD = "type custom: the value does not match this type (the validator's message quoted the value and was withheld)";

/** A registry with one custom type "custom" whose validator answers `answer(value)`. */
const withType = (answer: (v: string) => ValidationResult, extra: Partial<SecretTypeDefinition> = {}) =>
  createSecretTypeRegistry({ types: [{ name: "custom", describe: "A custom secret", validate: answer, ...extra }] });
const validate = (value: string, answer: (v: string) => ValidationResult, extra: Partial<SecretTypeDefinition> = {}) => withType(answer, extra).validate("custom", value);

/** `length` characters of `alphabet` (ASCII), the same for the same seed. */
function seeded(length: number, alphabet: string, seed: number): string {
  const codes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    codes[i] = alphabet.charCodeAt((x >>> 8) % alphabet.length);
  }
  return Buffer.from(codes).toString("latin1");
}

describe("a quote with its separators removed or escapes added (letters and digits compared alone)", () => {
  it("withholds a card number quoted without its spaces or with dashes", () => {
    const card = "4111 1111 1111 1112";
    expect(validate(card, () => refuse("checksum fails for 4111111111111112"))).toEqual({ ok: false, problem: WITHHELD });
    expect(validate(card, () => refuse("checksum fails for 4111-1111-1111-1112"))).toEqual({ ok: false, problem: WITHHELD });
    expect(validate(card, () => refuse("checksum fails"))).toEqual({ ok: false, problem: "type custom: checksum fails" });
  });

  it("drops a licence key stored without its dashes, and still lets a message through that names the documented shape", () => {
    const key = "QZ7K-M4PD-X9TR-2BWL";
    expect(validate(key, (v) => accept({ key: v.replaceAll("-", ""), tier: "pro" }))).toEqual({ ok: true, metadata: { tier: "pro" } });
    const extra = { describe: "A licence key: four groups of four letters or digits, joined by -" };
    expect(validate(key.slice(0, -1), () => refuse("must be four groups of four letters or digits, joined by -"), extra)).toEqual({
      ok: false,
      problem: "type custom: must be four groups of four letters or digits, joined by -",
    });
  });

  it("catches it in a value too long for spread pieces, where only the run of 8 applies", () => {
    const key = Array.from({ length: 16 }, (_, i) => seeded(4, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", i + 1)).join("-"); // 79 characters
    expect(key.length).toBeGreaterThanOrEqual(SPREAD_LIMIT);
    expect(validate(key, (v) => accept({ start: v.replaceAll("-", "").slice(0, 8), groups: 16 }))).toEqual({ ok: true, metadata: { groups: 16 } });
    expect(validate(key, (v) => accept({ start: v.replaceAll("-", "").slice(0, 7), groups: 16 }))).toEqual({ ok: true, metadata: { start: key.replaceAll("-", "").slice(0, 7), groups: 16 } });
  });

  it("withholds JSON.stringify of a value with quotes and backslashes (the escapes break every run)", () => {
    const value = 'k"9Q\\mZ"w3\\Rt"yV\\8p"Lx\\2c"Hn\\5s"Dq\\7f"Ja\\4g"Wb\\6e"Tr\\1u"Kz\\0o"Pi\\3d"'; // 68 characters
    expect(value.length).toBeGreaterThanOrEqual(SPREAD_LIMIT);
    expect(validate(value, (v) => refuse(`not JSON: ${JSON.stringify(v)}`))).toEqual({ ok: false, problem: WITHHELD });
    expect(validate(value, (v) => accept({ raw: JSON.stringify(v), kind: "quoted" }))).toEqual({ ok: true, metadata: { kind: "quoted" } });
  });
});

describe("pieces of a short value spread over the answer", () => {
  const password = "Zq8!vR2#pL"; // 10 characters: a run of 5, so 4 + 4 escape the run rule

  it("drops every field that gave a piece once together they cover a run of the value", () => {
    expect(validate(password, (v) => accept({ starts: v.slice(0, 4), ends: v.slice(-4), length: v.length }))).toEqual({ ok: true, metadata: { length: 10 } });
    // A key counts like a text.
    expect(validate(password, (v) => accept({ [v.slice(0, 4)]: true, ends: v.slice(-4), length: v.length }))).toEqual({ ok: true, metadata: { length: 10 } });
    // One piece alone, shorter than the run, is kept.
    expect(validate(password, (v) => accept({ ends: v.slice(-4), length: v.length }))).toEqual({ ok: true, metadata: { ends: "2#pL", length: 10 } });
  });

  it("withholds a problem that gives two pieces", () => {
    expect(validate(password, (v) => refuse(`starts with ${v.slice(0, 4)}…, ends with …${v.slice(-4)}`))).toEqual({ ok: false, problem: WITHHELD });
    expect(validate(password, (v) => refuse(`ends with …${v.slice(-4)}`))).toEqual({ ok: false, problem: "type custom: ends with …2#pL" });
  });

  it("does not count pieces the describe documents, nor the fields listed in publicValueParts", () => {
    const value = "acme_live_Q7rzK2mw9PxT"; // 22 characters: a run of 8
    const answer = (v: string) => accept({ env: "live", product: "acme", hint: v.slice(-4) });
    expect(validate(value, answer, { describe: "An Acme key: acme_live_ and 12 characters" })).toEqual({ ok: true, metadata: { env: "live", product: "acme", hint: "9PxT" } });
    // Undocumented, "live" and the hint make 8 characters of the value ("acme" is still in the describe).
    expect(validate(value, answer, { describe: "An Acme key" })).toEqual({ ok: true, metadata: { product: "acme" } });

    const dsn = "acmedb://svc:Q7rzK2mw@db.example.com/orders";
    const dsnAnswer = (v: string) => accept({ database: "orders", hint: v.slice(13, 17) });
    expect(validate(dsn, dsnAnswer, { publicValueParts: ["database"] })).toEqual({ ok: true, metadata: { database: "orders", hint: "Q7rz" } });
    expect(validate(dsn, dsnAnswer)).toEqual({ ok: true, metadata: {} });
  });

  it("applies to values shorter than 64 characters only (longer ones share 4-character pieces with text by chance)", () => {
    const long = seeded(SPREAD_LIMIT, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 3);
    const short = long.slice(0, SPREAD_LIMIT - 1);
    const answer = (v: string) => accept({ starts: v.slice(0, 4), ends: v.slice(-4) });
    expect(validate(long, answer)).toEqual({ ok: true, metadata: { starts: long.slice(0, 4), ends: long.slice(-4) } });
    expect(validate(short, answer)).toEqual({ ok: true, metadata: {} });
  });

  it("counts the pieces within one text, each a stretch of the text that occurs in the value, by the positions they cover", () => {
    // "2#pLZq8!" is not in the value, but "2#pL" and "Zq8!" are: two pieces, 8 positions of a 10-character value.
    expect(validate(password, () => refuse("near 2#pLZq8!"))).toEqual({ ok: false, problem: WITHHELD });
    // One piece ("vR2#p") covers its 5 positions (a run of 6 for 12 characters), not 4 for each of its 4-character windows.
    expect(validate("Zq8!vR2#pLmW", () => refuse("near vR2#p"))).toEqual({ ok: false, problem: "type custom: near vR2#p" });
  });
});

describe("the cost of screening (each test's timeout is a guard too: the former cost was seconds to minutes)", () => {
  // No letter a-f in the value, so the problem and describe below share nothing with it by chance.
  const VALUE_ALPHABET = "ghijkmnopqrstuvwxyzGHJKLMNPQRSTUVWXYZ0123456789+/";
  const value = seeded(1 << 20, VALUE_ALPHABET, 7);
  const describe20k = seeded(20_000, "abcdef ", 11);
  const problem = seeded(1_000_000, "abcdef ", 13);

  it("is linear in the value and the fields: a 1 MiB value with 200 metadata fields", () => {
    const fields = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`fact${i}`, `an ordinary fact, number ${i}, about the value`]));
    const textLength = Object.entries(fields).reduce((n, [k, v]) => n + k.length + v.length, 0);
    quoteGuardWork.steps = 0;
    expect(validate(value, (v) => accept({ ...fields, leak: v.slice(500_000, 500_010) }))).toEqual({ ok: true, metadata: fields });
    // Each character of the value and of the texts is hashed and looked up once or twice at each of the
    // two foldings; a pass over the value per field (the former cost) would be 200 × 1 MiB.
    expect(quoteGuardWork.steps).toBeLessThan(6 * (value.length + textLength));
  });

  it("is linear in the value, the problem and the describe: a 1 MiB value, a 1 MB problem and a 20 KB describe", () => {
    quoteGuardWork.steps = 0;
    expect(validate(value, () => refuse(problem), { describe: describe20k })).toEqual({ ok: false, problem: `type custom: ${problem}` });
    expect(quoteGuardWork.steps).toBeLessThan(6 * (value.length + problem.length + describe20k.length));
  });

  it("finds a quote at the end of a 1 MB problem", () => {
    expect(validate(value, (v) => refuse(problem + v.slice(-8)), { describe: describe20k })).toEqual({ ok: false, problem: WITHHELD });
  });

  it("is linear in the problem for a short value too (its spread pieces)", () => {
    const short = seeded(40, VALUE_ALPHABET, 5);
    quoteGuardWork.steps = 0;
    expect(validate(short, () => refuse(problem))).toEqual({ ok: false, problem: `type custom: ${problem}` });
    expect(quoteGuardWork.steps).toBeLessThan(8 * problem.length);
    expect(validate(short, (v) => refuse(`${v.slice(0, 4)} ${problem} ${v.slice(-4)}`))).toEqual({ ok: false, problem: WITHHELD });
  });
});
