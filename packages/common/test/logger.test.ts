import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { redactText, createLogger, REDACTED_KEYS } from "../src/index.js";

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

  it("redacts child bindings and errors' own fields, at any depth, and leaves the caller's object alone", () => {
    const out = capture();
    const leak = "sk_live_must_not_appear";
    const logger = createLogger({ destination: out.stream }).child({ token: leak, svc: "a" }).child({ req: { authorization: leak }, sub: "b" });
    const err = Object.assign(new Error("boom"), { secret: leak });
    const fields = { err, list: [{ password: leak }], deep: { a: { b: { c: { d: { value: leak, kept: "five-deep" } } } } } };
    logger.error(fields, "failed");
    expect(out.lines.join("\n")).not.toContain(leak);
    const [line] = out.parsed();
    expect(line).toMatchObject({ svc: "a", token: "[redacted]", sub: "b", req: { authorization: "[redacted]" }, err: { message: "boom", type: "Error", secret: "[redacted]" }, list: [{ password: "[redacted]" }] });
    expect(line!.deep).toEqual({ a: { b: { c: { d: { value: "[redacted]", kept: "five-deep" } } } } });
    expect(err.secret).toBe(leak);
    expect(fields.list[0]!.password).toBe(leak);
    expect(fields.deep.a.b.c.d.value).toBe(leak);
  });

  it("matches field names case-insensitively and by what they end in, and keeps labels that only start so", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const leak = "hunter2-must-not-appear";
    const sensitive = ["Authorization", "AUTHORIZATION", "accessToken", "refresh_token", "db_password", "DB-PASSWORD", "clientSecret", "signingKey", "x-api-key", "awsCredentials", "Set-Cookie", "SecretKey", "PASSPHRASE"];
    const labels = { keyId: "kek_1", tokenStatus: "approved", secretName: "STRIPE_KEY", keyword: "k", passwordPolicy: "strong", secretsCount: 3 };
    logger.info({ ...Object.fromEntries(sensitive.map((k) => [k, leak])), ...labels }, "names");
    expect(out.lines[0]).not.toContain(leak);
    const [line] = out.parsed();
    for (const k of sensitive) expect(line![k], k).toBe("[redacted]");
    expect(line).toMatchObject(labels);
  });

  it("censors Keyward tokens and URL credentials inside any string: fields, messages, errors", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const service = "kws_" + "A1b2C3d4".repeat(5) + "xyz";
    const admin = "kwa_" + "Z9y8X7w6".repeat(5) + "abc";
    const url = "postgres://keyward:db-pass-123@db.internal:5432/keyward";
    logger.warn({ detail: `sent ${service} twice`, target: `connecting to ${url}`, nested: [{ note: `admin ${admin}` }], err: new Error(`could not reach ${url} with ${service}`) }, `login as ${admin} via https://user:pw@example.com/x`);
    const text = out.lines.join("\n");
    for (const leak of [service, admin, "db-pass-123", "user:pw"]) expect(text).not.toContain(leak);
    const [line] = out.parsed();
    expect(line).toMatchObject({ detail: "sent [redacted] twice", target: "connecting to postgres://[redacted]@db.internal:5432/keyward", nested: [{ note: "admin [redacted]" }], msg: "login as [redacted] via https://[redacted]@example.com/x" });
    expect((line!.err as { message: string }).message).toBe("could not reach postgres://[redacted]@db.internal:5432/keyward with [redacted]");
    // A password with an unencoded / ? # or @ is censored up to the host all the same.
    expect(redactText("dial postgres://app:pa/ss?x#y@z@db.internal/x failed")).toBe("dial postgres://[redacted]@db.internal/x failed");
    // Text without either is written as it is.
    logger.info({ peer: "127.0.0.1:5000", url: "https://example.com/a?b=c", prefix: "kws_" }, "plain");
    expect(out.parsed()[1]).toMatchObject({ peer: "127.0.0.1:5000", url: "https://example.com/a?b=c", prefix: "kws_" });
  });

  it("censors an object met twice or in a cycle, and cuts what is nested past the depth bound", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const leak = "cycle-leak-value";
    const shared: Record<string, unknown> = { password: leak };
    const cyclic: Record<string, unknown> = { name: "loop", token: leak };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: `https://u:${leak}@h/` };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    logger.info({ a: shared, b: shared, cyclic, deep }, "graph");
    expect(out.lines.join("\n")).not.toContain(leak);
    const [line] = out.parsed();
    expect(line).toMatchObject({ a: { password: "[redacted]" }, b: { password: "[redacted]" }, cyclic: { name: "loop", token: "[redacted]" } });
  });

  it("never lets a planted secret through, whatever shape the fields have (property test)", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const keys = ["token", "Password", "api_key", "credentials", "data", "items", "meta", "x"];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const secret = `planted-${round}-${rand(1e9)}`;
      const build = (depth: number): unknown => {
        if (depth > 6 || rand(4) === 0) return rand(2) ? "filler" : rand(100);
        if (rand(3) === 0) return Array.from({ length: rand(3) + 1 }, () => build(depth + 1));
        return Object.fromEntries(Array.from({ length: rand(3) + 1 }, () => [keys[rand(keys.length)]!, build(depth + 1)]));
      };
      const fields = build(0) as Record<string, unknown>;
      // Plant the secret under a sensitive key somewhere, or as a token or URL credential in text.
      const plant: Record<string, unknown> = rand(2) ? { [keys[rand(4)]!]: secret } : { text: rand(2) ? `kws_${secret}` : `https://svc:${secret}@host/` };
      const holder = typeof fields === "object" && fields !== null ? fields : {};
      logger.info({ ...holder, nested: { deeper: [plant] } }, "round");
      expect(out.lines.at(-1), `round ${round}`).not.toContain(secret);
    }
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
