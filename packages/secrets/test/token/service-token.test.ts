import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createServiceToken, generateServiceToken, SERVICE_TOKEN_PREFIX } from "../../src/index.js";
import { makeTree } from "../fixtures/tree.js";

describe("service tokens", () => {
  it("createServiceToken: kws_ then 256 random bits in base64url, different every time", () => {
    const tokens = Array.from({ length: 50 }, createServiceToken);
    for (const token of tokens) {
      expect(token).toMatch(/^kws_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token.slice(SERVICE_TOKEN_PREFIX.length), "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("generateServiceToken creates the file 0600 in a 0700 directory once, then reads it back", () => {
    const tree = makeTree();
    const file = path.join(tree.root, "state/keyward/service-token");
    const first = generateServiceToken({ file });
    expect(first).toMatchObject({ file, created: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, "utf8")).toBe(`${first.token}\n`);
    expect(generateServiceToken({ file })).toEqual({ token: first.token, file, created: false });
  });

  it("refuses a token file that does not hold a token, without echoing its content", () => {
    const tree = makeTree({ "service-token": "password123-from-somewhere-else\n" });
    const run = () => generateServiceToken({ file: tree.at("service-token") });
    expect(run).toThrow(`token file ${tree.at("service-token")} does not hold a Keyward service token (kws_ followed by 43 base64url characters)`);
    expect(run).not.toThrow(/password123/);
  });
});
