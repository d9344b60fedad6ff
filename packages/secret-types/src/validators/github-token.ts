import { accept, refuse } from "../result.js";
import { tokenProblem } from "../text.js";
import type { SecretTypeDefinition } from "../types.js";

// GitHub's token formats: a prefix naming the kind, then base62 (36 characters for the classic
// ones; fine-grained PATs are github_pat_ and 82 characters of [A-Za-z0-9_]).
const KINDS: [RegExp, string][] = [
  [/^github_pat_[A-Za-z0-9_]{50,}$/, "fine-grained personal access token"],
  [/^ghp_[A-Za-z0-9]{36}$/, "personal access token"],
  [/^gho_[A-Za-z0-9]{36}$/, "OAuth token"],
  [/^ghu_[A-Za-z0-9]{36}$/, "user-to-server token"],
  [/^ghs_[A-Za-z0-9]{36}$/, "server-to-server token"],
  [/^ghr_[A-Za-z0-9]{36,}$/, "refresh token"],
];

export const githubToken: SecretTypeDefinition = {
  name: "github-token",
  describe: "A GitHub token: ghp_…, github_pat_…, gho_…, ghu_…, ghs_…, ghr_…",
  validate(value) {
    const bad = tokenProblem(value);
    if (bad) return bad;
    if (!/^(ghp|gho|ghu|ghs|ghr)_|^github_pat_/.test(value)) return refuse("must start with ghp_, github_pat_, gho_, ghu_, ghs_ or ghr_");
    const kind = KINDS.find(([re]) => re.test(value));
    if (!kind) return refuse("must be the prefix and 36 letters or digits (github_pat_: at least 50 letters, digits or _)");
    return accept({ kind: kind[1] });
  },
};
