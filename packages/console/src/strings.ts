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
