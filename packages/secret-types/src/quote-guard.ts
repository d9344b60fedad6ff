import { accept, refuse } from "./result.js";
import type { PemInspector, SecretMetadata, ValidationResult } from "./types.js";

/**
 * Whether a validator's words (a problem, a metadata key or string) repeat part of the value they were
 * given. The registry runs every custom validator's answer (and a caller-supplied PemInspector's)
 * through this, so one that writes `bad prefix 'sk_live_abc'` or `{ account: value.slice(0, 12) }`
 * cannot carry a piece of a secret into an HTTP response, a log or the clear-text metadata. The
 * built-in validators are not screened (see the registry's validate).
 *
 * The rules, applied to an answer's parts (its problem; or each metadata field: its key and text).
 * Texts and value are compared twice, folded the same way on both sides each time: case-folded (lower
 * case), and case-folded with everything but letters and digits removed (`/[^\p{L}\p{N}]/gu`); `n` is
 * the value's length as folded.
 *
 * 1. Whole value: a text that holds the value itself quotes it.
 * 2. A run in one text: a text quotes the value when it holds a run of `quoteRun(n)` consecutive
 *    characters of the value (half the value, at least 4 and at most 8 characters) that the type's
 *    own `describe` text does not hold.
 * 3. Pieces spread over the answer, for a value with n < SPREAD_LIMIT (64): a piece is a stretch of
 *    one text, 4 characters or more, that occurs in the value as it stands (the longest such stretch
 *    at its place in the text: a text's 4-character windows are not matched each on its own). The
 *    pieces of all the answer's texts are put together, and when they cover `quoteRun(n)` distinct
 *    positions of the value (not counting the 4-character stretches `describe` holds), the answer
 *    quotes the value: a problem is withheld, and every metadata field that gave a piece is dropped.
 *    Only the parts that rules 1 and 2 let pass take part (nor do the fields a type lists in
 *    publicValueParts), so `{ starts: v.slice(0, 4), ends: v.slice(-4) }` for a 10-character
 *    password loses both fields, while `{ ends: v.slice(-4) }` alone is kept.
 *
 * A value of fewer than 4 characters (as folded) is too short to tell apart from ordinary words and is
 * not looked for.
 *
 * - 8 characters: a run of a random token that long is a real part of the secret (48 bits of a base62
 *   key), while an ordinary message rarely shares 8 characters with a value by chance.
 * - Half a short value: 7 characters of a 10-character password are most of it, so a short value
 *   needs a shorter run (never under 4, which plain words would match).
 * - Case-folded: a validator that upper-cases what it quotes (`ACCOUNT SK_LIVE_AB…`) still quotes it.
 * - Letters and digits only: a validator that strips separators (a card number `4111 1111 1111 1112`
 *   quoted as `4111111111111112`, a key `QZ7K-M4PD-…` as `QZ7KM4PD…`) or adds escapes
 *   (`JSON.stringify(value)` of a value with quotes or backslashes) still quotes it.
 * - Spread pieces only for short values: a password, a PIN or a short key loses most of itself to
 *   4 + 4 characters, while a long value (a key file, a certificate) shares many 4-character stretches
 *   with any longer text by chance; for those the run of 8 in one text is the rule.
 * - Not what `describe` holds: text the type documents for everyone (a prefix `acme_`, `sk_live_`,
 *   `-----BEGIN `) is no secret, so a message naming the rule ("must start with acme_") stays readable
 *   when the value starts that way too. A run that reaches one character past such text counts.
 *
 * What it does not catch (a guard against a careless validator, not a hostile one: a validator runs
 * in-process with the value and could send it anywhere): a reversed or otherwise rearranged value, a
 * value encoded (base64, hex, percent-encoded), pieces shorter than 4 characters, or, for a value of
 * 64 characters or more, pieces shorter than the run spread over the answer.
 *
 * Cost: a guard folds and hashes the value and the describe once; screening an answer folds its texts
 * and, at each folding, puts the windows of one side (the answer's texts together, or the value:
 * whichever has fewer) in one hash table and looks the other side's up in it, and walks each text
 * once through a short value's suffix automaton for rule 3. So it is linear in the value's, the
 * texts' and the describe's lengths, however many fields the answer has.
 */
export function quoteRun(valueLength: number): number | undefined {
  return valueLength < 4 ? undefined : Math.min(8, Math.max(4, Math.ceil(valueLength / 2)));
}

/** Values shorter than this (as folded) are also screened for pieces spread over an answer (rule 3). */
export const SPREAD_LIMIT = 64;
/** The shortest piece rule 3 counts. */
const PIECE = 4;

/**
 * How many window hashes and table slots the guards have computed and visited, all told: a test reads
 * it to check that screening stays linear in the value's and the texts' lengths (a count, not a time).
 * Internal; not exported from the package.
 */
export const quoteGuardWork = { steps: 0 };

export interface QuoteGuard {
  /** Whether `text`, as the one part of an answer (a problem), quotes the value (see quoteRun). */
  quotes(text: string): boolean;
  /**
   * Which of an answer's parts quote the value (see quoteRun), in order. A part is the texts that stand
   * or fall together: a metadata field's key and text.
   */
  quoting(parts: readonly (readonly string[])[]): boolean[];
}

/** The two foldings (see quoteRun): case-folded, and case-folded with letters and digits only. */
const FOLDS: readonly ((text: string) => string)[] = [(t) => t.toLowerCase(), (t) => t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")];

const BASE = 0x01000193;

/** A polynomial hash (mod 2^32) of each window of `length` characters of `text`, by where it starts; rolled, so no substring is made. */
function windowHashes(text: string, length: number): Int32Array {
  const count = Math.max(0, text.length - length + 1);
  const out = new Int32Array(count);
  if (count === 0) return out;
  let top = 1;
  for (let i = 1; i < length; i++) top = Math.imul(top, BASE);
  let h = 0;
  for (let i = 0; i < length; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  out[0] = h;
  for (let i = 1; i < count; i++) {
    h = (Math.imul(h - Math.imul(text.charCodeAt(i - 1), top), BASE) + text.charCodeAt(i + length - 1)) | 0;
    out[i] = h;
  }
  quoteGuardWork.steps += count;
  return out;
}

/**
 * The distinct windows of `length` characters of some strings, in an open-addressing hash table: each
 * entry is a window's first string and place, and `more` lists the other strings that hold it.
 */
class Windows {
  /** Per slot: a window's hash, then its entry + 1 (0: an empty slot). */
  private readonly table: Int32Array;
  private readonly shift: number;
  /** One bit per hash (8 bits a slot, remixed): most windows that are not in the table are told apart here, in a smaller piece of memory. */
  private readonly filter: Int32Array;
  private readonly filterShift: number;
  readonly src: Int32Array;
  private readonly pos: Int32Array;
  private size = 0;
  readonly more = new Map<number, number[]>();

  constructor(
    private readonly strings: readonly string[],
    private readonly length: number,
    capacity: number,
  ) {
    let bits = 4;
    while (1 << bits < 2 * capacity) bits++;
    this.table = new Int32Array(2 << bits);
    this.shift = 32 - bits;
    this.filter = new Int32Array(1 << (bits + 3 - 5));
    this.filterShift = 32 - (bits + 3);
    this.src = new Int32Array(capacity);
    this.pos = new Int32Array(capacity);
  }

  /** The table index of the slot holding `text`'s window at `at` (whose hash is `h`), or of the empty slot where it would go. */
  private slot(text: string, at: number, h: number): number {
    const mask = this.table.length - 1;
    for (let i = (Math.imul(h, 0x9e3779b1) >>> this.shift) << 1; ; i = (i + 2) & mask) {
      quoteGuardWork.steps++;
      const e = this.table[i + 1]! - 1;
      if (e < 0 || (this.table[i] === h && this.holds(e, text, at))) return i;
    }
  }

  /** The entry holding `text`'s window at `at` (whose hash is `h`), or -1. */
  find(text: string, at: number, h: number): number {
    quoteGuardWork.steps++;
    const bit = Math.imul(h, 0x85ebca6b) >>> this.filterShift;
    if ((this.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return -1;
    return this.table[this.slot(text, at, h) + 1]! - 1;
  }

  /** Adds string `s`'s window at `at` (hash `h`); one that is already there records `s` with it. */
  add(s: number, at: number, h: number): void {
    const i = this.slot(this.strings[s]!, at, h);
    const e = this.table[i + 1]! - 1;
    if (e < 0) {
      const bit = Math.imul(h, 0x85ebca6b) >>> this.filterShift;
      this.filter[bit >>> 5] = this.filter[bit >>> 5]! | (1 << (bit & 31));
      this.table[i] = h;
      this.table[i + 1] = ++this.size;
      this.src[this.size - 1] = s;
      this.pos[this.size - 1] = at;
    } else if (this.src[e] !== s) {
      const more = this.more.get(e);
      if (more === undefined) this.more.set(e, [s]);
      else if (more[more.length - 1] !== s) more.push(s);
    }
  }

  private holds(e: number, text: string, at: number): boolean {
    const s = this.strings[this.src[e]!]!;
    const p = this.pos[e]!;
    for (let i = 0; i < this.length; i++) if (s.charCodeAt(p + i) !== text.charCodeAt(at + i)) return false;
    return true;
  }
}

/** Whether `text` holds a window of `length` characters: `has(other, at, h)` for `other`'s window at `at`, whose hash is `h`. */
function windowSet(text: string, length: number): { has(other: string, at: number, h: number): boolean } {
  const hashes = windowHashes(text, length);
  const windows = new Windows([text], length, hashes.length);
  for (let i = 0; i < hashes.length; i++) windows.add(0, i, hashes[i]!);
  return { has: (other, at, h) => windows.find(other, at, h) >= 0 };
}

/**
 * The suffix automaton of a (short) value: walking a text through it gives, at each character, the
 * longest stretch ending there that occurs in the value, and where it first ends in the value, in
 * constant time a character (amortised).
 */
class Automaton {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly link: number[] = [-1];
  private readonly len: number[] = [0];
  /** Where in the value the strings of each state first end. */
  private readonly end: number[] = [-1];

  constructor(value: string) {
    let last = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      const cur = this.state(new Map(), this.len[last]! + 1, 0, i);
      let p = last;
      while (p !== -1 && !this.next[p]!.has(c)) {
        this.next[p]!.set(c, cur);
        p = this.link[p]!;
      }
      if (p !== -1) {
        const q = this.next[p]!.get(c)!;
        if (this.len[p]! + 1 === this.len[q]) this.link[cur] = q;
        else {
          const clone = this.state(new Map(this.next[q]!), this.len[p]! + 1, this.link[q]!, this.end[q]!);
          for (; p !== -1 && this.next[p]!.get(c) === q; p = this.link[p]!) this.next[p]!.set(c, clone);
          this.link[q] = clone;
          this.link[cur] = clone;
        }
      }
      last = cur;
    }
  }

  private state(next: Map<number, number>, len: number, link: number, end: number): number {
    this.next.push(next);
    this.len.push(len);
    this.link.push(link);
    this.end.push(end);
    return this.next.length - 1;
  }

  /**
   * Calls `piece(start, length)` for each maximal stretch of `text` of at least `min` characters that
   * occurs in the value (one that the next character of the text does not extend), with where in the
   * value it first starts.
   */
  pieces(text: string, min: number, piece: (start: number, length: number) => void): void {
    let v = 0;
    let l = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      quoteGuardWork.steps++;
      let to = this.next[v]!.get(c);
      if (to === undefined) {
        if (l >= min) piece(this.end[v]! - l + 1, l);
        for (; v !== 0 && to === undefined; to = this.next[v]!.get(c)) {
          quoteGuardWork.steps++;
          v = this.link[v]!;
          l = this.len[v]!;
        }
      }
      if (to === undefined) l = 0;
      else {
        v = to;
        l++;
      }
    }
    if (l >= min) piece(this.end[v]! - l + 1, l);
  }
}

/** One way of comparing (see FOLDS): the folded value and its run, and what describe holds at that folding. */
interface Folding {
  fold(text: string): string;
  value: string;
  run: number;
  /** The hashes of the value's windows of `run` characters. */
  hashes: Int32Array;
  /** The describe's windows of `run` characters. */
  known: ReturnType<typeof windowSet>;
  /**
   * For a value shorter than SPREAD_LIMIT (rule 3): its automaton, and for each of its pieces of PIECE
   * characters whether describe does not hold it (`open`), with the running count of those (`openBefore[j]`: before j).
   */
  spread?: { automaton: Automaton; open: Uint8Array; openBefore: Int32Array };
}

function folding(fold: (text: string) => string, value: string, publicText: string): Folding | undefined {
  const folded = fold(value);
  const run = quoteRun(folded.length);
  if (run === undefined) return undefined;
  const known = fold(publicText);
  const f: Folding = { fold, value: folded, run, hashes: windowHashes(folded, run), known: windowSet(known, run) };
  if (folded.length < SPREAD_LIMIT) {
    const knownPieces = windowSet(known, PIECE);
    const hashes = windowHashes(folded, PIECE);
    const open = hashes.map((h, j) => (knownPieces.has(folded, j, h) ? 0 : 1));
    const openBefore = new Int32Array(open.length + 1);
    open.forEach((o, j) => (openBefore[j + 1] = openBefore[j]! + o));
    f.spread = { automaton: new Automaton(folded), open: new Uint8Array(open), openBefore };
  }
  return f;
}

/**
 * Rule 2 at one folding: marks `hit[k]` for each text (not yet marked) holding a window of `run`
 * characters of the value that describe does not hold. The smaller side's windows go into a hash
 * table and the other side's are looked up in it, so each side is read once.
 */
function markRuns(f: Folding, texts: readonly string[], hit: boolean[]): void {
  const { value, run, hashes: valueHashes, known } = f;
  const textHashes = texts.map((t, k) => (hit[k] ? new Int32Array(0) : windowHashes(t, run)));
  const textWindows = textHashes.reduce((n, hs) => n + hs.length, 0);
  if (textWindows === 0) return;
  if (valueHashes.length <= textWindows) {
    const runs = new Windows([value], run, valueHashes.length);
    for (let i = 0; i < valueHashes.length; i++) runs.add(0, i, valueHashes[i]!);
    const open = new Int8Array(valueHashes.length); // per run: 1 when describe does not hold it, -1 when it does
    texts.forEach((t, k) => {
      const hs = textHashes[k]!;
      for (let i = 0; !hit[k] && i < hs.length; i++) {
        const e = runs.find(t, i, hs[i]!);
        if (e < 0) continue;
        if (open[e] === 0) open[e] = known.has(t, i, hs[i]!) ? -1 : 1;
        if (open[e] === 1) hit[k] = true;
      }
    });
    return;
  }
  const runs = new Windows(texts, run, textWindows);
  textHashes.forEach((hs, k) => {
    for (let i = 0; i < hs.length; i++) runs.add(k, i, hs[i]!);
  });
  const seen = new Uint8Array(textWindows);
  let left = textHashes.filter((hs) => hs.length > 0).length;
  for (let i = 0; left > 0 && i < valueHashes.length; i++) {
    const h = valueHashes[i]!;
    const e = runs.find(value, i, h);
    if (e < 0 || seen[e] === 1) continue;
    seen[e] = 1;
    if (known.has(value, i, h)) continue;
    for (const k of [runs.src[e]!, ...(runs.more.get(e) ?? [])]) {
      if (hit[k]) continue;
      hit[k] = true;
      left--;
    }
  }
}

/**
 * Rule 3 at one folding: the pieces of the texts whose parts `alone` did not mark, put together; when
 * their open pieces cover `run` positions of the value, marks in `out` every part that gave one.
 */
function markSpread(f: Folding, texts: readonly string[], owner: readonly number[], alone: readonly boolean[], out: boolean[]): void {
  const { automaton, open, openBefore } = f.spread!;
  const counted = new Int32Array(open.length + 1); // +1 where a run of counted pieces starts, -1 past its end
  const gave = new Set<number>();
  texts.forEach((t, i) => {
    const k = owner[i]!;
    if (alone[k]) return;
    automaton.pieces(t, PIECE, (start, length) => {
      const past = start + length - PIECE + 1; // the pieces of PIECE characters in it start before this
      if (openBefore[past]! === openBefore[start]!) return;
      counted[start]!++;
      counted[past]!--;
      gave.add(k);
    });
  });
  if (gave.size === 0) return;
  const covered = new Uint8Array(f.value.length);
  for (let j = 0, depth = 0; j < open.length; j++) {
    depth += counted[j]!;
    if (depth > 0 && open[j] === 1) covered.fill(1, j, j + PIECE);
  }
  if (covered.reduce((n, c) => n + c, 0) >= f.run) for (const k of gave) out[k] = true;
}

/**
 * A guard for one value; `publicText` is what the type documents (its describe). Screening an answer
 * is linear in the value's, the describe's and the answer's lengths (see quoteRun's Cost).
 */
export function quoteGuard(value: string, publicText: string): QuoteGuard {
  if (value.length < 4) return { quotes: () => false, quoting: (parts) => parts.map(() => false) };
  const foldings = FOLDS.map((fold) => folding(fold, value, publicText)).filter((f) => f !== undefined);
  const guard: QuoteGuard = {
    quotes: (text) => guard.quoting([[text]])[0]!,
    quoting(parts) {
      const texts: string[] = [];
      const owner: number[] = [];
      parts.forEach((part, k) => {
        for (const t of part) {
          texts.push(t);
          owner.push(k);
        }
      });
      const out = parts.map(() => false);
      // Rule 1, then rule 2 at each folding (the texts of a part already marked are not looked at again).
      texts.forEach((t, i) => {
        if (t.length >= value.length && t.includes(value)) out[owner[i]!] = true;
      });
      const folded = foldings.map((f) => texts.map((t, i) => (out[owner[i]!] ? "" : f.fold(t))));
      foldings.forEach((f, x) => {
        const hit = texts.map((_, i) => out[owner[i]!]!);
        markRuns(f, folded[x]!, hit);
        hit.forEach((h, i) => {
          if (h) out[owner[i]!] = true;
        });
      });
      // Rule 3 over the parts that rules 1 and 2 let pass, at each folding on its own.
      const alone = out.slice();
      foldings.forEach((f, x) => {
        if (f.spread !== undefined) markSpread(f, folded[x]!, owner, alone, out);
      });
      return out;
    },
  };
  return guard;
}

/** What a refusal says instead of a validator's message that quoted the value (or a part of it). */
export const WITHHELD_PROBLEM = "the value does not match this type (the validator's message quoted the value and was withheld)";

/**
 * A validator's answer with every quote of the value taken out, or undefined when the answer is not a
 * ValidationResult at all. A problem that quotes the value is replaced by WITHHELD_PROBLEM. A metadata
 * field whose key or text quotes it (alone or, for a short value, with the other fields: see quoteRun)
 * is dropped (unless `publicParts` names it), and so is one that is not a string, number or boolean. Fields are dropped rather than the value refused: the validator
 * did accept the value, and metadata is a derived convenience, so careless metadata costs its field,
 * not the admin's write (nor does it teach anyone which part of the value it matched).
 */
export function screenedResult(result: unknown, value: string, publicText: string, publicParts: readonly string[] = []): ValidationResult | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as { ok?: unknown; problem?: unknown; metadata?: unknown };
  const guard = quoteGuard(value, publicText);
  if (r.ok === false) return typeof r.problem === "string" ? refuse(guard.quotes(r.problem) ? WITHHELD_PROBLEM : r.problem) : undefined;
  if (r.ok !== true) return undefined;
  const metadata: SecretMetadata = {};
  if (typeof r.metadata !== "object" || r.metadata === null) return accept(metadata);
  const fields = Object.entries(r.metadata).filter((e): e is [string, string | number | boolean] => ["string", "number", "boolean"].includes(typeof e[1]));
  // The fields a type lists as public are neither screened nor counted towards pieces spread over the answer.
  const screened = fields.filter(([key]) => !publicParts.includes(key));
  const quoting = guard.quoting(screened.map(([key, field]) => (typeof field === "boolean" ? [key] : [key, String(field)])));
  const dropped = new Set(screened.filter((_, i) => quoting[i]).map(([key]) => key));
  for (const [key, field] of fields) if (!dropped.has(key)) metadata[key] = field;
  return accept(metadata);
}

/**
 * A PemInspector that is not one of this package's: its answers are screened like a custom
 * validator's (against the PEM text it was given), since the built-in types that read PEM pass its
 * problem and key facts on. Its answers embed in the built-in messages ("private_key: …").
 */
export function screenedInspector(pem: PemInspector): PemInspector {
  const failed = refuse("could not be read by the PEM inspector");
  return {
    certificate: (text) => screenedResult(pem.certificate(text), text, "") ?? failed,
    privateKey: (text) => screenedResult(pem.privateKey(text), text, "") ?? failed,
  };
}
