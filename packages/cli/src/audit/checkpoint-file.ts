import fs from "node:fs";
import type { AuditVerifyRequest } from "@keyward/spec";
import { CliError, EXIT } from "../exit-codes.js";

/**
 * Reads a checkpoint you kept: a file holding one checkpoint as JSON (as `keyward-service audit
 * checkpoint` prints it, or `{ "checkpoint": … }`), or the checkpoint sink's JSON Lines file, whose
 * newest (last) line is used. A missing or malformed file names the file, the line and what is
 * wrong; the service checks the fields and the signature.
 */
export function readCheckpointFile(file: string): AuditVerifyRequest["checkpoint"] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the checkpoint file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  const lines = text.split("\n").map((l) => l.trim());
  const last = lines.reduce((at, line, i) => (line === "" ? at : i), -1);
  if (last === -1) throw new CliError(`the checkpoint file ${file} is empty`, EXIT.usage);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = JSON.parse(lines[last]!);
    } catch (error) {
      throw new CliError(`the checkpoint file ${file} is not JSON, nor JSON Lines at line ${last + 1} (${(error as Error).message})`, EXIT.usage);
    }
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliError(`the checkpoint file ${file} must hold a JSON object (a checkpoint)`, EXIT.usage);
  const inner = (parsed as { checkpoint?: unknown }).checkpoint;
  return (inner && typeof inner === "object" ? inner : parsed) as AuditVerifyRequest["checkpoint"];
}
