import type { NameForms } from "../names.js";

/** What a code step sees. It reads the target through `read` and returns whole new file contents. */
export interface StepContext {
  dir: string;
  /** The --name as given (a package name or a secret name, per the manifest). */
  name: string;
  forms: NameForms | undefined;
  options: StepOptions;
  force: boolean;
  /** The file's current content, or undefined when it does not exist. */
  read(relPath: string): string | undefined;
  /** A version spec for a Keyward package: "^x.y.z", or "link:<dir>" with --keyward-link. */
  keywardSpec(pkg: string): string;
}

export interface StepOptions {
  description?: string;
  type?: string;
  optional?: boolean;
}

/** A step's intent for one file: its new content, or a refusal to change it (a conflict). */
export type StepEdit = { relPath: string; content: string } | { relPath: string; conflict: string };
