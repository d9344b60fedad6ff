import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeywardError } from "@keyward/common";
import { archiveName, createDirectorySink, verifyArchive, writeArchive } from "../src/index.js";
import { archiveOf, auditKey, chainRows, collect, iterate, signer } from "./helpers.js";

let root: string;
let dir: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "keyward-archive-"));
  dir = path.join(root, "archives");
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const rows = chainRows(50);

/** A body that yields some bytes, then fails (a writer whose rows break, a lost connection). */
function failingBody(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes.subarray(0, 100);
      await new Promise((r) => setTimeout(r, 5));
      yield bytes.subarray(100, 200);
      throw new Error("connection lost mid-archive");
    })(),
  );
}

describe("directory sink", () => {
  it("stores an archive (0600 in a 0700 directory) that reads back and verifies", async () => {
    const sink = createDirectorySink({ dir });
    const { bytes, summary } = await archiveOf(rows);
    expect(await sink.exists(summary.name)).toBe(false);
    expect(await sink.list()).toEqual([]);
    await sink.put(summary.name, Readable.from([bytes]));
    expect(await sink.exists(summary.name)).toBe(true);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(path.join(dir, summary.name))).mode & 0o777).toBe(0o600);
    expect(await collect(await sink.get(summary.name))).toEqual(bytes);
    expect(await verifyArchive(await sink.get(summary.name), { publicKey: signer.publicKey, auditKey, name: summary.name })).toMatchObject({ ok: true });
    expect(await fs.readdir(dir)).toEqual([summary.name]); // no temp file left behind
    expect(sink.description).toBe(`directory ${dir}`);
  });

  it("streams the writer's body straight in", async () => {
    const sink = createDirectorySink({ dir });
    const write = writeArchive({ partition: "p1", from: new Date(0), to: new Date(1000), before: { seq: 0, hash: "0".repeat(64) }, lastSeq: 50, rows: iterate(rows), signer, auditKey, at: new Date() })!;
    await sink.put(write.name, write.body);
    const summary = await write.summary;
    expect(await sink.list()).toEqual([summary.name]);
  });

  it("lists archive names sorted by seq, skipping other files", async () => {
    const sink = createDirectorySink({ dir });
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "notes.txt"), "x");
    await fs.writeFile(path.join(dir, `.tmp-${archiveName(1, 2)}.abc`), "torn");
    for (const [first, last] of [[1001, 2000], [1, 1000], [2001, 2500]] as const) await sink.put(archiveName(first, last), Readable.from([Buffer.from(`${first}`)]));
    expect(await sink.list()).toEqual([archiveName(1, 1000), archiveName(1001, 2000), archiveName(2001, 2500)]);
  });

  it("leaves no file under the final name when the body fails mid-way (crash safety)", async () => {
    const sink = createDirectorySink({ dir });
    const { bytes, summary } = await archiveOf(rows);
    await expect(sink.put(summary.name, failingBody(bytes))).rejects.toThrow("connection lost mid-archive");
    expect(await sink.exists(summary.name)).toBe(false);
    expect(await fs.readdir(dir)).toEqual([]);
    // The put can simply be retried.
    await sink.put(summary.name, Readable.from([bytes]));
    expect(await collect(await sink.get(summary.name))).toEqual(bytes);
  });

  it("leaves no file under the final name when the process is killed mid-put", async () => {
    // A real crash: a child process (the built package) is SIGKILLed while its put is half written.
    const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const name = archiveName(1, 50);
    const script = `
      import { createDirectorySink } from ${JSON.stringify(dist)};
      import { Readable } from "node:stream";
      setInterval(() => {}, 1000);
      const body = Readable.from((async function* () {
        yield Buffer.alloc(256 * 1024, 1);
        yield Buffer.alloc(256 * 1024, 2);
        process.stdout.write("half written\\n");
        await new Promise(() => {});
      })());
      await createDirectorySink({ dir: ${JSON.stringify(dir)} }).put(${JSON.stringify(name)}, body);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    for await (const chunk of child.stdout) if (String(chunk).includes("half written")) break;
    const [temp] = await fs.readdir(dir);
    expect(temp).toMatch(/^\.tmp-audit-/);
    expect((await fs.stat(path.join(dir, temp!))).size).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await once(child, "exit");
    const sink = createDirectorySink({ dir });
    expect(await sink.exists(name)).toBe(false);
    expect(await sink.list()).toEqual([]);
    await sink.put(name, Readable.from([Buffer.from("complete")]));
    expect(await sink.list()).toEqual([name]);
  });

  it("leaves no archive when the writer finds a broken chain half way", async () => {
    const sink = createDirectorySink({ dir });
    const many = chainRows(3000);
    many[2500] = { ...many[2500]!, actor_id: "someone-else" };
    const write = writeArchive({ partition: "p1", from: new Date(0), to: new Date(1000), before: { seq: 0, hash: "0".repeat(64) }, lastSeq: 3000, rows: iterate(many), signer, auditKey, at: new Date() })!;
    await expect(sink.put(write.name, write.body)).rejects.toMatchObject({ firstBadSeq: 2501 });
    await expect(write.summary).rejects.toMatchObject({ firstBadSeq: 2501 });
    expect(await sink.list()).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it("accepts the same bytes again but never replaces an archive", async () => {
    const sink = createDirectorySink({ dir });
    const { bytes, summary } = await archiveOf(rows);
    await sink.put(summary.name, Readable.from([bytes]));
    await sink.put(summary.name, Readable.from([bytes])); // a retried job: same bytes, fine
    const other = Buffer.from(bytes);
    other[20] = other[20]! ^ 1;
    const error = await sink.put(summary.name, Readable.from([other])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardError);
    expect(error).toMatchObject({ code: "conflict", reason: "archive_exists" });
    expect(await collect(await sink.get(summary.name))).toEqual(bytes);
    expect(await fs.readdir(dir)).toEqual([summary.name]);
  });

  it("refuses names that are not archive names (no path escapes) and names a missing archive", async () => {
    const sink = createDirectorySink({ dir });
    await expect(sink.put("../escape.jsonl.gz", Readable.from([Buffer.from("x")]))).rejects.toMatchObject({ code: "invalid_argument", field: "name" });
    await expect(sink.exists("audit-1-2.jsonl.gz")).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(sink.get(archiveName(1, 2))).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining(archiveName(1, 2)) });
  });

  it("tightens an existing directory to 0700", async () => {
    await fs.mkdir(dir, { mode: 0o755 });
    await fs.chmod(dir, 0o755);
    await createDirectorySink({ dir }).put(archiveName(1, 1), Readable.from([Buffer.from("x")]));
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
  });
});
