import { listJobs } from "@keyward/db";
import type { JobList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";
import { toJob } from "../channels/map.js";

/** The scheduler's jobs as every replica sees them (the rows are shared). */
export const listJobsRoute: RouteHandler<"listJobs"> = async (ctx) => {
  const body: JobList = { items: (await listJobs(ctx.deps.db)).map(toJob) };
  sendJson(ctx.res, 200, body);
};
