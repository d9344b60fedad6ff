import { commandLines, dispatchCommand, runProcess, serviceEnvSchema, type CommandIo } from "@keyward/common";
import { commands } from "./commands/index.js";

function help(): string {
  const variables = Object.entries(serviceEnvSchema.properties as Record<string, { description?: string }>);
  return [
    "keyward-service: run and operate the Keyward secrets service",
    "",
    "Usage: keyward-service <command> [options]   (keyward-service <command> --help for details)",
    "",
    ...commandLines(commands),
    "",
    "With no environment it runs on embedded PGlite in ./data, gRPC on 127.0.0.1:50051 and the admin",
    "API on http://127.0.0.1:8080. Environment (validated at start; doctor explains problems):",
    ...variables.map(([name, p]) => `  ${name.padEnd(28)} ${p.description ?? ""}`),
    "",
  ].join("\n");
}

/** Dispatches to src/commands/<name>.ts and resolves to the exit code. */
export function main(argv: string[], io: CommandIo): Promise<number> {
  return dispatchCommand("keyward-service", commands, help, argv, io);
}

runProcess("keyward-service", main);
