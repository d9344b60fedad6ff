import type { Problem } from "@keyward/spec";

/** A failed admin call, carrying the server's problem+json (which never holds a value). */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "AdminApiError";
  }
}
