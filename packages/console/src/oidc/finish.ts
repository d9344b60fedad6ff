import { createAdminClient, unwrap } from "@keyward/sdk";
import type { Session } from "../session.js";
import type { OidcSignInFlow } from "./sign-in.js";

// setTimeout's longest delay (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Completes a return from the provider: the ID token is checked with GET /api/me (the server
 * verifies it) and kept in memory only, and the console signs out when it expires. Resolves to
 * why the sign-in failed, or null.
 */
export async function finishOidcSignIn(parts: { oidc: OidcSignInFlow; session: Session; win: Pick<Window, "location" | "history" | "setTimeout">; base: string }): Promise<string | null> {
  const outcome = await parts.oidc.complete();
  switch (outcome.kind) {
    case "none":
      return null;
    case "failed":
      return outcome.problem;
    case "signed-in":
      try {
        await unwrap(createAdminClient({ baseUrl: parts.win.location.origin, getToken: () => outcome.idToken }).GET("/api/me"));
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      // Back to the page the admin signed in from (only ever a page of the console).
      if (outcome.returnTo.startsWith(parts.base)) parts.win.history.replaceState(null, "", outcome.returnTo);
      parts.session.signIn(outcome.idToken, false);
      parts.win.setTimeout(
        () => {
          if (parts.session.token.value === outcome.idToken) parts.session.signOut();
        },
        Math.min(MAX_TIMER_MS, Math.max(0, outcome.expiresAt * 1000 - Date.now())),
      );
      return null;
  }
}
