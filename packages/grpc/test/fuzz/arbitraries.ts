// fast-check arbitraries for the gRPC fuzz suite, built from secrets.proto itself: every RPC's request
// type is walked field by field, so a new RPC or field is fuzzed with no new test code.
import fc from "fast-check";
import protobuf from "protobufjs";
import { secretsProtoPath } from "@keyward/proto";

export const root = protobuf.loadSync(secretsProtoPath);
export const secretsService = root.lookupService("keyward.secrets.v1.SecretsService");

/** Strings that have broken parsers and queries elsewhere: NUL, direction overrides, SQL, LIKE wildcards, sizes at and past the limits. */
const HOSTILE = [
  "",
  "\u0000",
  "NAME_\u0000_NUL",
  "A\u202eB",
  "\r\nX-Injected: 1",
  "'; DROP TABLE secrets; --",
  "A' OR '1'='1",
  "%",
  "FUZZ_%",
  "_",
  "$1",
  "\\",
  "🔑_KEY",
  "A".repeat(128),
  "A".repeat(129),
  "x".repeat(70 * 1024),
];

/** A string field: mostly well-formed names (so calls reach the handlers), else hostile or arbitrary text. */
const stringArb = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,30}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$|^\d{1,3}\.\d{1,3}\.\d{1,3}$/) },
    { weight: 2, arbitrary: fc.constantFrom(...known, ...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u2028", "\ufeff", "A"), maxLength: 40 }) },
  );

const int32 = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)));
const uint32 = fc.oneof(fc.nat(), fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1));
const int64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(0n, -1n, 2n ** 63n - 1n)).map(String);

function fieldArb(field: protobuf.Field, known: readonly string[], depth: number): fc.Arbitrary<unknown> {
  field.resolve();
  let one: fc.Arbitrary<unknown>;
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) one = depth > 3 ? fc.constant({}) : messageArb(resolved, known, depth + 1);
  else if (resolved instanceof protobuf.Enum) one = fc.oneof(fc.constantFrom(...Object.values(resolved.values)), fc.integer({ min: -1, max: 1000 }));
  else {
    switch (field.type) {
      case "string":
        one = stringArb(known);
        break;
      case "bool":
        one = fc.boolean();
        break;
      case "uint32":
      case "fixed32":
        one = uint32;
        break;
      case "int32":
      case "sint32":
      case "sfixed32":
        one = int32;
        break;
      case "int64":
      case "uint64":
      case "sint64":
      case "fixed64":
      case "sfixed64":
        one = int64;
        break;
      case "double":
      case "float":
        one = fc.double();
        break;
      case "bytes":
        one = fc.uint8Array({ maxLength: 200 });
        break;
      default:
        throw new Error(`the fuzz arbitraries do not know proto type ${field.type} (field ${field.fullName}): add it here`);
    }
  }
  if (!field.repeated) return one;
  // Mostly short lists; sometimes past the 100-item batch limit.
  return fc.oneof({ weight: 5, arbitrary: fc.array(one, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.array(one, { minLength: 95, maxLength: 130 }) });
}

/** A message of `type` with any subset of its fields set. */
export function messageArb(type: protobuf.Type, known: readonly string[], depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(type.fieldsArray.map((f) => [f.name, fieldArb(f, known, depth)]));
  return fc.record(fields, { requiredKeys: [] });
}

export interface Wire {
  kind: "message" | "mutated" | "garbage";
  bytes: Buffer;
}

/** The bytes of a request: a well-formed message, one with a byte flipped or cut short, or bytes that are no message at all. */
export function wireArb(type: protobuf.Type, known: readonly string[]): fc.Arbitrary<Wire> {
  const encode = (obj: Record<string, unknown>) => Buffer.from(type.encode(type.fromObject(obj)).finish());
  const message = messageArb(type, known);
  return fc.oneof(
    { weight: 6, arbitrary: message.map((obj): Wire => ({ kind: "message", bytes: encode(obj) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(message, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean()).map(([obj, at, xor, cut]): Wire => {
        const bytes = encode(obj);
        if (bytes.length === 0) return { kind: "mutated", bytes: Buffer.from([xor]) };
        const i = at % bytes.length;
        if (cut) return { kind: "mutated", bytes: bytes.subarray(0, i) };
        bytes[i] = bytes[i]! ^ xor;
        return { kind: "mutated", bytes };
      }),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b): Wire => ({ kind: "garbage", bytes: Buffer.from(b) })) },
  );
}

/** Who calls: one of the planted tokens, a well-formed unknown one, a malformed header, or none. */
export type Caller = { kind: "approved" | "pending" | "revoked" | "unknown" | "admin" | "missing" | "lowercase" | "doubled" } | { kind: "raw"; header: string };

export const callerArb: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Caller>({ kind: "approved" }) },
  { weight: 5, arbitrary: fc.constantFrom<Caller>({ kind: "pending" }, { kind: "revoked" }, { kind: "unknown" }, { kind: "admin" }, { kind: "missing" }, { kind: "lowercase" }, { kind: "doubled" }) },
  // grpc-js only sends printable ASCII in a text header.
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }).map((header): Caller => ({ kind: "raw", header })) },
);
