import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeUtf8, illFormedTextPath, isWellFormedText, readStdinText, UsageError } from "../src/index.js";

describe("strict UTF-8", () => {
  it("decodes exactly the byte strings that survive a UTF-8 round trip (fuzzed), never with U+FFFD in place of a byte", () => {
    for (let i = 0; i < 5000; i++) {
      const bytes = randomBytes(1 + (i % 24));
      // Mostly ASCII and valid multi-byte text, with some random bytes mixed in.
      if (i % 3 === 0) bytes.set(Buffer.from("é€😀".slice(0, 1 + (i % 3)), "utf8").subarray(0, bytes.length));
      const roundTrips = Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes);
      const decoded = decodeUtf8(bytes);
      expect(decoded !== undefined, bytes.toString("hex")).toBe(roundTrips);
      if (decoded !== undefined) expect(Buffer.from(decoded, "utf8").equals(bytes)).toBe(true);
    }
    expect(decodeUtf8(Buffer.from([0x70, 0xe4, 0x73]))).toBeUndefined();
    // A byte-order mark is kept as sent, not dropped.
    expect(decodeUtf8(Buffer.from("\ufeffabc", "utf8"))).toBe("\ufeffabc");
  });

  it("finds the first string or key with an unpaired surrogate, by path", () => {
    expect(isWellFormedText("key-\ud83d\udd11")).toBe(true);
    expect(isWellFormedText("ab\ud800cd")).toBe(false);
    expect(isWellFormedText("\udc00")).toBe(false);
    expect(illFormedTextPath({ name: "OK", secrets: [{ name: "A" }, { name: "B\ud800" }] })).toBe("secrets/1/name");
    expect(illFormedTextPath({ ["k\udfff"]: 1 })).toBe("k\udfff");
    expect(illFormedTextPath("\ud800")).toBe("");
    expect(illFormedTextPath({ a: [1, true, null, "fine"] })).toBeUndefined();
    // As deep as JSON.parse allows, without running out of stack.
    expect(illFormedTextPath(JSON.parse("[".repeat(200_000) + "]".repeat(200_000)))).toBeUndefined();
    expect(illFormedTextPath(JSON.parse("[".repeat(100_000) + '"\\ud800"' + "]".repeat(100_000)))).toBe(Array(100_000).fill("0").join("/"));
  });

  it("refuses piped bytes that are not UTF-8, naming what was read and never its content", async () => {
    const stdin = Readable.from([Buffer.concat([Buffer.from("p"), Buffer.from([0xe4]), Buffer.from("ss")])]);
    const error = await readStdinText(stdin, "value", 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("the value on stdin is not valid UTF-8 text");
    expect(await readStdinText(Readable.from([Buffer.from("päss\n")]), "value", 1024)).toBe("päss");
  });
});
