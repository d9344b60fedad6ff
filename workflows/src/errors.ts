/** Expected failures of a workflow, by kind, so the CLI (and callers) can switch over them. */
export type WorkflowErrorCode = "unknown_workflow" | "bad_manifest" | "bad_name" | "bad_dir" | "bad_option" | "conflict";

export class WorkflowError extends Error {
  override name = "WorkflowError";
  constructor(
    readonly code: WorkflowErrorCode,
    message: string,
  ) {
    super(message);
  }
}
