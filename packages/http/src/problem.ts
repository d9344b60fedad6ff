import type { ServerResponse } from "node:http";
import type { Problem } from "@keyward/spec";

/** An expected HTTP failure; rendered as application/problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly field?: string,
    /** A stable name for the refusal (the problem's `code`), when a client may act on it. */
    readonly code?: string,
  ) {
    super(title);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { "cache-control": "no-store" });
  res.end();
}

export function sendProblem(res: ServerResponse, problem: HttpProblem, requestId: string): void {
  const body: Problem = { type: "about:blank", title: problem.title, status: problem.status, requestId };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (problem.field !== undefined) body.field = problem.field;
  if (problem.code !== undefined) body.code = problem.code;
  sendJson(res, problem.status, body, "application/problem+json");
}
