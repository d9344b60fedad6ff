import type { CommandIo } from "@keyward/common";
import { main } from "./main.js";

const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
main(process.argv.slice(2), io).then(
  (code) => {
    process.stdout.write("", () => process.exit(code));
  },
  (error: unknown) => {
    // Unexpected failures print their message only, never a stack or a value.
    process.stderr.write(`keyward: ${error instanceof Error ? error.message : String(error)}\n`, () => process.exit(1));
  },
);
