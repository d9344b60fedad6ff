import type { Health } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

/** Liveness: answers without touching the database. */
export const getHealthRoute: RouteHandler<"getHealth"> = async (ctx) => {
  const body: Health = { status: "ok" };
  sendJson(ctx.res, 200, body);
};
