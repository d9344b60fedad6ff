import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_TYPES, openapiDocument } from "../src/index.js";

// The proto's SecretType enum is the one source of the vocabulary; the spec's enum must say the same.
describe("SecretType", () => {
  it("lists exactly the proto's SecretType values, in kebab case and in order", () => {
    const proto = fs.readFileSync(path.resolve(import.meta.dirname, "../../proto/proto/keyward/secrets/v1/secrets.proto"), "utf8");
    const body = /enum SecretType \{([^}]*)\}/.exec(proto)![1]!;
    const names = [...body.matchAll(/SECRET_TYPE_([A-Z0-9_]+) = (\d+);/g)].filter((m) => m[2] !== "0").map((m) => m[1]!.toLowerCase().replaceAll("_", "-"));
    expect(names.length).toBeGreaterThan(3);
    expect(openapiDocument.components.schemas.SecretType.enum).toEqual(names);
    expect(SECRET_TYPES).toEqual(names);
  });
});
