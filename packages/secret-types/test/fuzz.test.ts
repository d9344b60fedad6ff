// Property tests (fast-check) of every built-in validator and shape parser over untrusted values:
// any string gives a typed answer (never a throw), long inputs finish (a super-linear parser would
// time the test out: no timing assertion), and no answer carries a run of a secret the value holds.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtInSecretTypes, parseAwsAccessKey, parseAzureClientSecret, parseDatabaseUrl, parseGcpServiceAccount, parseSmtp, type SecretTypeDefinition, type ValidationResult } from "../src/index.js";
import { nodePemInspector } from "../src/node.js";

const SEED = 20_240_611;
const run = <T>(property: fc.IProperty<T>, numRuns: number) => fc.assert(property, { seed: SEED, numRuns });

/** Both flavours of every built-in type: the browser's structural PEM reading and node:crypto's. */
const TYPES: [string, SecretTypeDefinition][] = [
  ...builtInSecretTypes().map((t) => [`${t.name} (browser)`, t] as [string, SecretTypeDefinition]),
  ...builtInSecretTypes(nodePemInspector)
    .filter((t) => ["gcp-service-account", "pem-certificate", "pem-private-key", "jwt-signing-key"].includes(t.name))
    .map((t) => [`${t.name} (node)`, t] as [string, SecretTypeDefinition]),
];
const SHAPES: [string, (v: string) => { ok: boolean }][] = [
  ["parseAwsAccessKey", parseAwsAccessKey],
  ["parseAzureClientSecret", parseAzureClientSecret],
  ["parseDatabaseUrl", parseDatabaseUrl],
  ["parseSmtp", parseSmtp],
  ["parseGcpServiceAccount", (v) => parseGcpServiceAccount(v)],
  ["parseGcpServiceAccount (node)", (v) => parseGcpServiceAccount(v, nodePemInspector)],
];

/** A high-entropy token, the same for the same seed: shrinking cannot turn it into "aaaaaaaa", which plain words could hold. */
const token = (seed: number, length: number) => createHash("sha256").update(`keyward-fuzz-${seed}`).digest("base64url").replace(/[-_]/g, "").slice(0, length);
const secretArb = fc.tuple(fc.integer(), fc.integer({ min: 12, max: 40 })).map(([s, n]) => token(s, n));

/** Whether `text` holds a run of 8 characters of `secret` (case-folded, as the quote guard compares). */
function quotes(text: string, secret: string): boolean {
  const t = text.toLowerCase();
  const s = secret.toLowerCase();
  for (let i = 0; i + 8 <= s.length; i++) if (t.includes(s.slice(i, i + 8))) return true;
  return false;
}

function wellFormed(result: ValidationResult): void {
  if (result.ok) {
    expect(typeof result.metadata).toBe("object");
    for (const v of Object.values(result.metadata)) expect(["string", "number", "boolean"]).toContain(typeof v);
  } else {
    expect(typeof result.problem).toBe("string");
    expect(result.problem.length).toBeGreaterThan(0);
  }
}

// Pieces of the shapes the parsers look for, so random values reach past their first checks.
const FRAGMENTS = [
  "{", "}", "[", "]", '"', ":", ",", "\\", "\\u", "null", "true", "1e309", "-0", "__proto__", " ", "\t", "\n", "\r\n", "\u0000", "\u2028", "\ud800", "é", "🔑", "%", "%zz", "%E0%A4%A", "%2C", "@", "/", "?", "#", "[::1]", ":", ":0", ":65536", ":5432",
  "postgres://", "mongodb://", "MONGODB+SRV://", "redis://", "smtp://", "smtps://", "https://", "http://", "ftp://", "u:p@", "user@", "h1,h2", "host", "db.example.com", "/db",
  "sk-", "sk-ant-api03-", "sk-proj-", "sk_live_", "rk_test_", "ghp_", "github_pat_", "whsec_", "AKIA", "ASIA", "AKIAIOSFODNN7EXAMPLE",
  "-----BEGIN ", "-----END ", "-----BEGIN OPENSSH PRIVATE KEY-----\n", "\n-----END OPENSSH PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\n", "\n-----END PRIVATE KEY-----",
  "-----BEGIN CERTIFICATE-----\n", "\n-----END CERTIFICATE-----", "b3BlbnNzaC1rZXktdjEA", "AAAA", "MIIB", "====",
  '"accessKeyId":', '"secretAccessKey":', '"region":', '"host":', '"port":', '"secure":', '"user":', '"pass":', '"type":"service_account"', '"client_email":', '"private_key":', '"token_uri":',
  '"clientId":', '"clientSecret":', '"tokenUrl":', '"tenantId":',
];
/** What a value of each shape starts with, for the long inputs. */
const PREFIXES = ["", "{", '{"host":"', "postgres://", "postgres://u:", "mongodb://u:p@", "smtp://", "smtp://u:p@", "https://", "sk-ant-a-", "sk-proj-", "github_pat_", "sk_live_", "-----BEGIN ", "-----BEGIN OPENSSH PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\n", "-----BEGIN CERTIFICATE-----\nMIIB"];
const fragmentString = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(""));

const KEYS = ["accessKeyId", "AccessKeyId", "secretAccessKey", "sessionToken", "region", "tenantId", "tenant", "clientId", "appId", "clientSecret", "password", "tokenUrl", "token_uri", "type", "client_email", "private_key", "project_id", "host", "port", "secure", "user", "pass", "__proto__"];
const jsonObjectString = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("service_account", "a@b.example", "https://x.example/t", "eu-west-1", "AKIAIOSFODNN7EXAMPLE", "00000000-0000-0000-0000-000000000000")), { maxKeys: 8 }).map((o) => JSON.stringify(o));

const anyValue = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 }), fc.webUrl({ withQueryParameters: true, withFragments: true }), fragmentString, jsonObjectString, fc.json({ maxDepth: 3 }));

describe("every built-in validator and shape parser, given any string", () => {
  it("answers with a typed result and never throws", () => {
    run(
      fc.property(anyValue, (value) => {
        for (const [, type] of TYPES) wellFormed(type.validate(value));
        for (const [, parse] of SHAPES) expect(typeof parse(value).ok).toBe("boolean");
      }),
      600,
    );
  });

  it("answers for 100k-character inputs built by repeating a piece (a super-linear parser would time the test out)", () => {
    const piece = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ minLength: 1, maxLength: 4 }));
    run(
      fc.property(fc.constantFrom(...PREFIXES), piece, fc.oneof(fc.constant(""), fc.constantFrom(...FRAGMENTS)), (prefix, repeated, suffix) => {
        const value = prefix + repeated.repeat(Math.ceil(100_000 / repeated.length)) + suffix;
        for (const [, type] of TYPES) wellFormed(type.validate(value));
        for (const [, parse] of SHAPES) expect(typeof parse(value).ok).toBe("boolean");
      }),
      25,
    );
  });
});

/** Values of each type's shape with a secret in it: where a credential belongs, and (for problems) anywhere at all. */
const SLOTS: ((s: string) => string)[] = [
  (s) => s,
  (s) => `sk-${s}`,
  (s) => `sk-ant-api03-${s} `,
  (s) => `sk_live_${s}!`,
  (s) => `ghp_${s}`,
  (s) => `whsec_${s}`,
  (s) => `postgres://app:${s}@db.example.com:5432/orders`,
  (s) => `postgres://app:${s}@db.example.com:5432/orders?x=${s}`,
  (s) => `mysql://${s}@/db`,
  (s) => `mongodb://app:${s}@h1.example:27017,h2.example:27017/app`,
  (s) => `redis://:${s}@cache:99999`,
  (s) => `smtp://mailer:${s}@mail.example`,
  (s) => `smtp://mailer:${s}/x@mail.example`,
  (s) => `smtps://mailer:%zz${s}@mail.example`,
  (s) => JSON.stringify({ host: "mail.example", user: "mailer", pass: s, port: "x" }),
  (s) => JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: s }),
  (s) => JSON.stringify({ accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: s.padEnd(40, "A").slice(0, 40) }),
  (s) => JSON.stringify({ accessKeyId: s, secretAccessKey: s, region: s }),
  (s) => JSON.stringify({ tenantId: "contoso.onmicrosoft.com", clientId: "00000000-0000-0000-0000-000000000000", clientSecret: `${s} x` }),
  (s) => JSON.stringify({ clientId: "app", clientSecret: s, tokenUrl: `https://app:${s}@idp.example/token` }),
  (s) => JSON.stringify({ clientId: "app", clientSecret: `${s}\n` }),
  (s) => JSON.stringify({ type: "service_account", client_email: "a@b.example", private_key: `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----` }),
  (s) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----\n`,
  (s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----`,
  (s) => `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA${s}\n-----END OPENSSH PRIVATE KEY-----`,
  (s) => `{"private_key": "${s}`,
];

describe("no answer quotes the secret a value holds", () => {
  it("a problem never holds a run of 8 characters of it", () => {
    run(
      fc.property(secretArb, fc.nat(SLOTS.length - 1), fragmentString, (secret, slot, noise) => {
        for (const value of [SLOTS[slot]!(secret), noise + SLOTS[slot]!(secret), SLOTS[slot]!(secret) + noise]) {
          for (const [name, type] of TYPES) {
            const result = type.validate(value);
            if (!result.ok) expect(quotes(result.problem, secret), `${name}: ${result.problem}`).toBe(false);
          }
          for (const [name, parse] of SHAPES) {
            const result = parse(value) as { ok: boolean; problem?: string };
            if (!result.ok) expect(quotes(result.problem!, secret), `${name}: ${result.problem}`).toBe(false);
          }
        }
      }),
      300,
    );
  });
});

/** Characters a URL's user or password may hold unencoded (RFC 3986 unreserved and sub-delims), besides letters and digits. */
const USERINFO = "-._~!$&'()*+,;=";
const userinfoPart = fc.tuple(secretArb, fc.array(fc.tuple(fc.nat(40), fc.constantFrom(...USERINFO)), { maxLength: 4 })).map(([s, inserts]) => {
  let out = s;
  for (const [at, c] of inserts) out = out.slice(0, at) + c + out.slice(at);
  return out;
});
const hostArb = fc.oneof(fc.domain(), fc.ipV4());

describe("parseDatabaseUrl and the database-url type on well-formed URLs", () => {
  it("read back the host, port and database they were built from, and keep the user and password out of the metadata", () => {
    const schemes = ["postgres", "postgresql", "mysql", "redis", "mongodb", "amqp"];
    run(
      fc.property(fc.constantFrom(...schemes), userinfoPart, userinfoPart, hostArb, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), (scheme, user, password, host, port, database) => {
        const url = `${scheme}://${user}:${password}@${host}${port === undefined ? "" : `:${port}`}/${database}`;
        const parsed = parseDatabaseUrl(url);
        if (!parsed.ok) throw new Error(`${url}: ${parsed.problem}`);
        expect(parsed.value.host).toBe(host);
        expect(parsed.value.port).toBe(port);
        expect(parsed.value.database).toBe(database);
        expect(decodeURIComponent(parsed.value.url.password)).toBe(password);
        expect(decodeURIComponent(parsed.value.url.username)).toBe(user);
        const result = builtInSecretTypes().find((t) => t.name === "database-url")!.validate(url);
        expect(result.ok).toBe(true);
        const metadata = JSON.stringify(result.ok ? result.metadata : {});
        expect(quotes(metadata, user) || quotes(metadata, password), metadata).toBe(false);
      }),
      400,
    );
  });

  it("take a MongoDB member list's first member, whatever the password holds", () => {
    run(
      fc.property(userinfoPart, fc.array(fc.domain(), { minLength: 2, maxLength: 4 }), (password, hosts) => {
        const parsed = parseDatabaseUrl(`mongodb://app:${password}@${hosts.map((h) => `${h}:27017`).join(",")}/app`);
        if (!parsed.ok) throw new Error(parsed.problem);
        expect(parsed.value.host).toBe(hosts[0]);
        expect(decodeURIComponent(parsed.value.url.password)).toBe(password);
      }),
      200,
    );
  });
});

describe("parseSmtp on JSON", () => {
  it("takes a port that is a whole number from 1 to 65535 (or its digits as a string), and refuses anything else", () => {
    run(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.integer({ min: -5, max: 70_000 }), fc.integer({ min: 1, max: 65_535 }).map(String)), (port) => {
        const parsed = parseSmtp(JSON.stringify({ host: "mail.example", user: "u", pass: "p", port }));
        const valid = (typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65_535) || (typeof port === "string" && /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65_535);
        expect(parsed.ok, JSON.stringify(port)).toBe(valid);
        if (parsed.ok) expect(parsed.value.port).toBe(Number(port));
        else expect((parsed as { problem: string }).problem).toBe("port must be a whole number from 1 to 65535");
      }),
      500,
    );
  });

  it("reads back an SMTP URL's user and password, percent-encoded, whatever they hold", () => {
    run(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), hostArb, (user, pass, host) => {
        const parsed = parseSmtp(`smtps://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}`);
        if (!parsed.ok) throw new Error(parsed.problem);
        expect(parsed.value).toEqual({ host, port: 465, secure: true, user, pass });
      }),
      300,
    );
  });
});

/** An openssh-key-v1 PEM block whose strings are the given bytes (PROTOCOL.key: magic, cipher, kdf, kdf options, key count, public key). */
function opensshKey(cipher: Buffer, kdf: Buffer, keyType: Buffer, tail: Buffer): string {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const str = (b: Buffer) => Buffer.concat([u32(b.length), b]);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), str(cipher), str(kdf), str(Buffer.alloc(0)), u32(1), str(Buffer.concat([str(keyType), tail]))]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString("base64").replace(/.{70}/g, "$&\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

describe("the ssh-private-key type on openssh-key-v1 bodies", () => {
  const ssh = builtInSecretTypes().find((t) => t.name === "ssh-private-key")!;
  const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));
  const name = fc.stringMatching(/^[a-z0-9@.-]{1,30}$/).map((n) => Buffer.from(n));

  it("keeps only a key type name as metadata, and names what is wrong with any other body", () => {
    run(
      fc.property(fc.oneof(name, bytes(40)), fc.oneof(name, bytes(20)), fc.oneof(name, bytes(80), secretArb.map((s) => Buffer.from(s))), bytes(64), (cipher, kdf, keyType, tail) => {
        const result = ssh.validate(opensshKey(cipher, kdf, keyType, tail));
        wellFormed(result);
        if (result.ok) {
          expect(result.metadata.keyAlgorithm).toBe(keyType.toString("latin1"));
          expect(result.metadata.keyAlgorithm).toMatch(/^[\x21-\x7e]{1,64}$/);
          expect(result.metadata.encrypted).toBe(cipher.toString("latin1") !== "none");
        } else expect(result.problem).toMatch(/^(the openssh-key-v1 body (is truncated|names no (cipher|key type))|holds no key)$/);
      }),
      400,
    );
  });

  it("says a long cipher name is no cipher name, not that the body is truncated", () => {
    run(
      fc.property(fc.integer({ min: 65, max: 400_000 }), (length) => {
        expect(ssh.validate(opensshKey(Buffer.alloc(length, 0x61), Buffer.from("none"), Buffer.from("ssh-ed25519"), Buffer.alloc(36)))).toEqual({ ok: false, problem: "the openssh-key-v1 body names no cipher" });
      }),
      10,
    );
  });
});
