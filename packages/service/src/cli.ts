import { type CommandIo, isKeywardError, serviceEnvSchema } from "@keyward/common";
import { commands } from "./commands/index.js";

function help(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
  const variables = Object.entries(serviceEnvSchema.properties as Record<string, { description?: string }>);
  return [
    "keyward-service: run and operate the Keyward secrets service",
    "",
    "Usage: keyward-service <command> [options]   (keyward-service <command> --help for details)",
    "",
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    "With no environment it runs on embedded PGlite in ./data, gRPC on 127.0.0.1:50051 and the admin",
    "API on http://127.0.0.1:8080. Environment (validated at start; doctor explains problems):",
    ...variables.map(([name, p]) => `  ${name.padEnd(28)} ${p.description ?? ""}`),
    "",
  ].join("\n");
}

/** Dispatches to src/commands/<name>.ts and resolves to the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(help());
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`keyward-service: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  return command.run(rest, io);
}

const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
main(process.argv.slice(2), io).then(
  (code) => {
    // Exit explicitly: a refused database connection (doctor) may leave a socket retrying.
    process.stdout.write("", () => process.exit(code));
  },
  (error: unknown) => {
    // Unexpected failures print their message only, never a stack or a value.
    process.stderr.write(`keyward-service: ${isKeywardError(error) || error instanceof Error ? error.message : String(error)}\n`, () => process.exit(1));
  },
);
