import { SECRET_TYPE_NAMES } from "@keyward/secret-types";
import type { SecretTypeList } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

const BUILT_IN: ReadonlySet<string> = new Set(SECRET_TYPE_NAMES);

/** GET /api/secret-types: every type the server knows, what each accepts, and which it can test. */
export const listSecretTypesRoute: RouteHandler<"listSecretTypes"> = async (ctx) => {
  const body: SecretTypeList = {
    items: ctx.secretTypes.names().map((name) => ({
      name,
      description: ctx.secretTypes.get(name)?.describe ?? "",
      builtIn: BUILT_IN.has(name),
      testable: ctx.deps.credentialTester?.has(name) ?? false,
    })),
  };
  sendJson(ctx.res, 200, body);
};
