import { statusResult } from "../http-answer.js";
import type { Tester } from "../tester.js";

/** GitHub: reads the token's user (GET /user); GitHub refuses requests without a User-Agent. */
export const githubTester: Tester = {
  label: "GitHub",
  async run(value, { fetch, signal, baseUrl }) {
    const res = await fetch(`${baseUrl("github", "https://api.github.com")}/user`, {
      headers: {
        authorization: `Bearer ${value.trim()}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "keyward-credential-tests",
      },
      signal,
    });
    return statusResult("GitHub", res, "bad credentials");
  },
};
