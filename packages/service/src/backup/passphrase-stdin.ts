import { readStdinText, UsageError } from "@keyward/common";

const MAX_PASSPHRASE_BYTES = 4096;

/** The passphrase from stdin, less one trailing newline. Never echoed; an empty one is a usage error. */
export async function readPassphraseFromStdin(stdin: NodeJS.ReadableStream | undefined, command: string): Promise<string> {
  if (!stdin) throw new UsageError(`${command} --passphrase-stdin reads the passphrase from stdin, and there is none`);
  // Typed at a terminal it would echo (and land in scrollback): it must come from a pipe or a file.
  if ((stdin as NodeJS.ReadStream).isTTY) throw new UsageError(`${command} --passphrase-stdin reads a pipe or a file, not a terminal (it would echo): e.g. --passphrase-stdin < passphrase-file`);
  return readStdinText(stdin, "passphrase", MAX_PASSPHRASE_BYTES, `: pipe it in, e.g. keyward-service ${command} ... --passphrase-stdin < passphrase-file`);
}
