import type { AuthConfig } from "@keyward/spec";
import type { RouteHandler } from "../../context.js";
import { sendJson } from "../../problem.js";

export const DEFAULT_CONSOLE_SCOPES = ["openid", "profile", "email"];

/** Public: what the console needs to offer "Sign in with …" (no secret: the console is a public client). */
export const getAuthConfigRoute: RouteHandler<"getAuthConfig"> = async (ctx) => {
  const oidc = ctx.options.oidc;
  const client = oidc?.console;
  const body: AuthConfig = {
    oidc:
      oidc && client
        ? { issuer: oidc.issuer, clientId: client.clientId, scopes: client.scopes ?? DEFAULT_CONSOLE_SCOPES, providerName: client.providerName ?? new URL(oidc.issuer).host }
        : null,
  };
  sendJson(ctx.res, 200, body);
};
