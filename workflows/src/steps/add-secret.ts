import { findSchemaIssues, KEYWARD_SECRET_TYPES, SCHEMA_FILE_NAME } from "@keyward/secrets";
import { WorkflowError } from "../errors.js";
import type { StepContext, StepEdit } from "./types.js";

const EMPTY_SCHEMA = { type: "object", properties: {} };

/** Adds (or, with --force, redefines) one secret in the package's secrets.schema.json. */
export function addSecretStep(ctx: StepContext): StepEdit[] {
  const description = ctx.options.description?.trim();
  if (!description) throw new WorkflowError("bad_option", `--description is required: say what ${ctx.name} is for, e.g. --description "Stripe API key for payment processing"`);
  const type = ctx.options.type;
  if (type !== undefined && !(KEYWARD_SECRET_TYPES as readonly string[]).includes(type)) {
    throw new WorkflowError("bad_option", `--type "${type}" is not a secret type; use one of ${KEYWARD_SECRET_TYPES.join(", ")}`);
  }
  const current = ctx.read(SCHEMA_FILE_NAME);
  let doc: { properties: Record<string, unknown> } & Record<string, unknown>;
  try {
    doc = current === undefined ? structuredClone(EMPTY_SCHEMA) : JSON.parse(current);
  } catch (error) {
    throw new WorkflowError("bad_dir", `${SCHEMA_FILE_NAME} in ${ctx.dir} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it first`);
  }
  doc.properties ??= {};
  const keyward = { ...(type ? { type } : {}), ...(ctx.options.optional ? { optional: true } : {}) };
  const secret = { type: "string", description, ...(Object.keys(keyward).length > 0 ? { "x-keyward": keyward } : {}) };
  const existing = doc.properties[ctx.name];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(secret) && !ctx.force) {
    return [{ relPath: SCHEMA_FILE_NAME, conflict: `${ctx.name} is already declared differently; pass --force to replace its definition` }];
  }
  doc.properties[ctx.name] = secret;
  const issues = findSchemaIssues(doc, SCHEMA_FILE_NAME);
  if (issues.length > 0) throw new WorkflowError("bad_option", `the schema would be invalid: ${issues.map((i) => `${i.pointer}: ${i.message}`).join("; ")}`);
  return [{ relPath: SCHEMA_FILE_NAME, content: current !== undefined && existing !== undefined && JSON.stringify(existing) === JSON.stringify(secret) ? current : JSON.stringify(doc, null, 2) + "\n" }];
}
