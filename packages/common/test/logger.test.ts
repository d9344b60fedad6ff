import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED_KEYS } from "../src/index.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), stream };
}

describe("createLogger", () => {
  it("writes one JSON line per call with level, time, name and message", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, name: "test" });
    logger.info({ action: "secret.read", secret: undefined, target: "secret:API_KEY", result: "ok", requestId: "r1" }, "access");
    expect(out.lines).toHaveLength(1);
    const [line] = out.parsed();
    expect(line).toMatchObject({ level: 30, name: "test", msg: "access", action: "secret.read", target: "secret:API_KEY", result: "ok", requestId: "r1" });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it("redacts a value, token or key passed by mistake, at the top and nested two deep", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const leak = "sk_live_must_not_appear";
    logger.warn({ value: leak, token: `kws_${leak}`, request: { authorization: `Bearer ${leak}`, headers: { cookie: leak } }, passphrase: leak, apiKey: leak }, "oops");
    const text = out.lines.join("\n");
    expect(text).not.toContain(leak);
    const [line] = out.parsed();
    expect(line).toMatchObject({ value: "[redacted]", token: "[redacted]", passphrase: "[redacted]", apiKey: "[redacted]", request: { authorization: "[redacted]", headers: { cookie: "[redacted]" } } });
  });

  it("redacts child bindings and errors' own fields, leaves the caller's object alone, and stops below two deep", () => {
    const out = capture();
    const leak = "sk_live_must_not_appear";
    const logger = createLogger({ destination: out.stream }).child({ token: leak, svc: "a" }).child({ req: { authorization: leak }, sub: "b" });
    const err = Object.assign(new Error("boom"), { secret: leak });
    const fields = { err, list: [{ password: leak }], deep: { a: { b: { value: "three-deep" } } } };
    logger.error(fields, "failed");
    expect(out.lines.join("\n")).not.toContain(leak);
    const [line] = out.parsed();
    expect(line).toMatchObject({ svc: "a", token: "[redacted]", sub: "b", req: { authorization: "[redacted]" }, err: { message: "boom", type: "Error", secret: "[redacted]" }, list: [{ password: "[redacted]" }] });
    // The same depth pino's "*.*.key" paths reached; the caller's objects are not modified.
    expect(line!.deep).toEqual({ a: { b: { value: "three-deep" } } });
    expect(err.secret).toBe(leak);
    expect(fields.list[0]!.password).toBe(leak);
  });

  it("covers every listed key", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    logger.info(Object.fromEntries(REDACTED_KEYS.map((k) => [k, `leak-${k}`])), "all");
    for (const k of REDACTED_KEYS) expect(out.lines[0]).not.toContain(`leak-${k}`);
  });

  it("honours the level", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, level: "warn" });
    logger.info("hidden");
    logger.error("shown");
    expect(out.parsed().map((l) => l.msg)).toEqual(["shown"]);
  });
});
