import path from "node:path";
import { parseArgs } from "node:util";
import { checkGeneratedFiles, writeGeneratedFiles } from "./codegen/index.js";
import { SchemaError } from "./schema/index.js";

const HELP = `keyward-secrets: typed secrets from secrets.schema.json

Usage:
  keyward-secrets generate [--cwd DIR]   write secrets.schema.combined.json and secrets.ts
  keyward-secrets check [--cwd DIR]      exit 1 when those files are stale (for CI)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { cwd: { type: "string" }, help: { type: "boolean", short: "h" } } });
  const dir = path.resolve(values.cwd ?? ".");
  switch (positionals[0]) {
    case undefined:
    case "help":
      process.stdout.write(HELP);
      return 0;
    case "generate":
      for (const f of await writeGeneratedFiles(dir)) process.stdout.write(`wrote ${path.relative(process.cwd(), f.path) || f.path}\n`);
      return 0;
    case "check": {
      const stale = await checkGeneratedFiles(dir);
      if (stale.length === 0) {
        process.stdout.write("generated secrets files are up to date\n");
        return 0;
      }
      process.stderr.write(`stale: ${stale.map((f) => path.relative(process.cwd(), f)).join(", ")}\nrun: keyward-secrets generate\n`);
      return 1;
    }
    default:
      process.stderr.write(`keyward-secrets: unknown command "${positionals[0]}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`keyward-secrets: ${error instanceof SchemaError || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
