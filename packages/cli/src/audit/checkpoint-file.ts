import fs from "node:fs";
import type { AuditVerifyRequest } from "@keyward/spec";
import { CliError, EXIT } from "../exit-codes.js";

/**
 * Reads a checkpoint file as `keyward-service audit checkpoint` or the checkpoint sink wrote it (its
 * JSON, or an object with a `checkpoint` field). A missing or malformed file names the file and
 * what is wrong; the service checks the fields and signature.
 */
export function readCheckpointFile(file: string): AuditVerifyRequest["checkpoint"] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the checkpoint file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the checkpoint file ${file} is not valid JSON (${(error as Error).message})`, EXIT.usage);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliError(`the checkpoint file ${file} must hold a JSON object (a checkpoint)`, EXIT.usage);
  const inner = (parsed as { checkpoint?: unknown }).checkpoint;
  return (inner && typeof inner === "object" ? inner : parsed) as AuditVerifyRequest["checkpoint"];
}
