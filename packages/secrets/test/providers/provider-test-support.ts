// Helpers the cloud providers' tests share (aws, azure, infisical).
import { expect } from "vitest";
import { ProviderError } from "../../src/providers/types.js";

/** A fresh, never-aborted signal for a provider call. */
export const signal = (): AbortSignal => new AbortController().signal;

/** What the process writes to stdout/stderr while `run` runs (to assert no value or credential reaches them). */
export async function captureOutput(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  const grab = ((chunk: unknown) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    await run();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return written.join("");
}

export async function failureOf(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
