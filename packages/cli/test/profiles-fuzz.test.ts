// Property tests (fast-check) of the profiles file reader over arbitrary file contents: a profiles
// file, or a config error naming the file (never a token in it), and what is saved reads back.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isKeywardError } from "@keyward/common";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { profilesFile, readProfiles, writeProfiles, type ProfilesFile } from "../src/index.js";

const SEED = 20_240_611;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-profiles-fuzz-"));
const env = { KEYWARD_CONFIG_DIR: dir } as NodeJS.ProcessEnv;
const file = profilesFile(env);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A high-entropy token, the same for the same seed (shrinking cannot make it a plain word). */
const token = (seed: number) => `kw_${createHash("sha256").update(`keyward-profiles-fuzz-${seed}`).digest("base64url").slice(0, 32)}`;
const tokenArb = fc.integer().map(token);
const quotes = (text: string, secret: string) => {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
};

/** The names that an object's prototype answers to, besides any string. */
const nameArb = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("default", "prod", "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "a\nb", '"'));
const profileArb = fc.record({ url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 10 })), token: tokenArb, environment: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }) }, { requiredKeys: ["url", "token"] });
/** Profiles files that are often nearly right: a field missing or of the wrong type here and there. */
const nearlyRight = fc
  .record({ current: fc.oneof(nameArb, fc.jsonValue({ maxDepth: 1 })), profiles: fc.oneof(fc.dictionary(nameArb, fc.oneof(profileArb, profileArb.map((p) => ({ ...p, url: 1 })), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 4 }), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] })
  .map((o) => JSON.stringify(o));
const contents = fc.oneof(
  nearlyRight,
  nearlyRight.map((t) => `\ufeff${t}`),
  nearlyRight.map((t) => t.slice(0, Math.floor(t.length / 2))),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)),
);

/** readProfiles of a file with these contents: the file, or its config error (anything else fails the test). */
function read(text: string | Buffer): ProfilesFile | Error {
  fs.writeFileSync(file, text);
  try {
    return readProfiles(env);
  } catch (error) {
    if (!isKeywardError(error) || error.code !== "config") throw error;
    return error;
  }
}

describe("readProfiles with arbitrary file contents", () => {
  it("gives profiles that each have a url and a token, or a config error naming the file and never a token", () => {
    fc.assert(
      fc.property(contents, (text) => {
        const result = read(text);
        const tokens = [...String(text).matchAll(/kw_[A-Za-z0-9_-]{32}/g)].map((m) => m[0]);
        if (result instanceof Error) {
          expect(result.message).toContain(file);
          expect(result.message).toMatch(/fix it or run keyward login again$/);
          expect(result.message.split("\n"), "one line").toHaveLength(1);
          for (const t of tokens) expect(quotes(result.message, t), result.message).toBe(false);
        } else {
          expect(typeof result.current).toBe("string");
          for (const profile of Object.values(result.profiles)) {
            expect(typeof profile.url).toBe("string");
            expect(typeof profile.token).toBe("string");
          }
        }
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it("has no profile under a name the file does not hold, whatever the name", () => {
    fc.assert(
      fc.property(fc.dictionary(nameArb, profileArb, { maxKeys: 3 }), nameArb, (profiles, name) => {
        const result = read(JSON.stringify({ current: name, profiles }));
        if (result instanceof Error) throw result;
        expect(result.profiles[name]).toEqual(Object.hasOwn(profiles, name) ? profiles[name] : undefined);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("reads back every profile saved as keyward login saves it, under any name", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nameArb, profileArb), { maxLength: 4 }), (saves) => {
        fs.rmSync(file, { force: true });
        const expected = new Map<string, unknown>();
        for (const [name, profile] of saves) {
          const current = readProfiles(env);
          current.profiles[name] = profile;
          current.current = name;
          writeProfiles(env, current);
          expected.set(name, JSON.parse(JSON.stringify(profile)));
        }
        const result = readProfiles(env);
        expect(new Map(Object.entries(result.profiles))).toEqual(expected);
        if (saves.length > 0) expect(result.current).toBe(saves[saves.length - 1]![0]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("reads a file an editor saved with a byte order mark like one without", () => {
    fc.assert(
      fc.property(fc.dictionary(nameArb, profileArb, { maxKeys: 3 }), nameArb, (profiles, current) => {
        const text = JSON.stringify({ current, profiles }, null, 2);
        expect(read(`\ufeff${text}`)).toEqual(read(text));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
