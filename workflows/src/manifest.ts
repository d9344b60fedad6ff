import fs from "node:fs";
import path from "node:path";
import { Ajv, type JSONSchemaType } from "ajv";
import { WorkflowError } from "./errors.js";

/** The code steps a manifest may ask for (src/steps/). */
export const STEP_NAMES = ["add-secret", "wire-client"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** workflow.json: what a workflow is, how it names things, and what it does beyond copying templates. */
export interface WorkflowManifest {
  id: string;
  summary: string;
  /** What --name means here: a kebab-case package name, or an upper-snake secret name. */
  name: { kind: "kebab" | "secret"; description: string; default?: string };
  /** Where the files go when --dir is absent, relative to the current directory; may use {{name}}. */
  dir: { description: string; default: string; mustExist: boolean };
  /** The kebab-case word the templates use for the name, renamed in all four forms. */
  placeholder?: string;
  /** Template files kept when the target already has one (the user's own file wins). */
  keepExisting?: string[];
  steps?: StepName[];
  /** Regenerate secrets.ts and secrets.schema.combined.json in the target after applying. */
  generate?: boolean;
  /** Printed after a real run; {{dir}} and {{name}} are filled in. */
  next?: string[];
}

const schema: JSONSchemaType<WorkflowManifest> = {
  type: "object",
  additionalProperties: false,
  required: ["id", "summary", "name", "dir"],
  properties: {
    id: { type: "string", pattern: "^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*$" },
    summary: { type: "string", minLength: 1 },
    name: {
      type: "object",
      additionalProperties: false,
      required: ["kind", "description"],
      properties: { kind: { type: "string", enum: ["kebab", "secret"] }, description: { type: "string" }, default: { type: "string", nullable: true } },
    },
    dir: {
      type: "object",
      additionalProperties: false,
      required: ["description", "default", "mustExist"],
      properties: { description: { type: "string" }, default: { type: "string" }, mustExist: { type: "boolean" } },
    },
    placeholder: { type: "string", nullable: true, pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)+$" },
    keepExisting: { type: "array", nullable: true, items: { type: "string" } },
    steps: { type: "array", nullable: true, items: { type: "string", enum: [...STEP_NAMES] } },
    generate: { type: "boolean", nullable: true },
    next: { type: "array", nullable: true, items: { type: "string" } },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

export const MANIFEST_FILE = "workflow.json";
export const TEMPLATES_DIR = "templates";

/** Reads and validates `<workflowDir>/workflow.json`, naming the file and each problem. */
export function readManifest(workflowDir: string): WorkflowManifest {
  const file = path.join(workflowDir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new WorkflowError("bad_manifest", `${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`);
    throw new WorkflowError("bad_manifest", `${file} is not a valid workflow manifest:\n  - ${problems.join("\n  - ")}`);
  }
  return data;
}
