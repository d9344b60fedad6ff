// The console's own strings (the components' strings live in @keyward/sdk's i18n).
export const strings = {
  title: "Keyward admin",
  signIn: {
    heading: "Sign in",
    token: "Admin token",
    tokenHint: "The bootstrap token printed by keyward-service on first start, or an admin API key (kwa_…).",
    remember: "Remember me in this browser tab",
    rememberHint:
      "Without this, the token stays in this page's memory only and a reload signs you out. With it, the token is kept in this tab's sessionStorage until the tab is closed or you sign out.",
    submit: "Sign in",
    checking: "Checking…",
    failed: "Sign-in failed:",
    withProvider: (name: string) => `Sign in with ${name}`,
    providerHint: "You sign in at your identity provider. The console keeps the token it gets back in this page's memory only: a reload or its expiry signs you out.",
    redirecting: "Going to your identity provider…",
    orToken: "Or sign in with an admin token:",
  },
  signedInAs: (name: string, role: string) => `Signed in as ${name} (${role})`,
  signOut: "Sign out",
  nav: "Sections",
  pages: {
    missing: "Missing secrets",
    approvals: "Approvals",
    secrets: "Secrets",
    tokens: "Service tokens",
    audit: "Audit log",
    keys: "Admin keys",
  },
  newSecret: "New secret",
  close: "Close",
};
