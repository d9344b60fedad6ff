import { describe, expect, it } from "vitest";
import { findWorkspaceRoot, listWorkspacePackages, parseWorkspaceGlobs } from "../../src/schema/index.js";
import { makeTree } from "../fixtures/tree.js";

describe("parseWorkspaceGlobs", () => {
  it("reads block and flow lists, quoted or not, ignoring comments and other keys", () => {
    expect(parseWorkspaceGlobs("# workspace\npackages:\n  - packages/*\n  - 'apps/*' # apps\n\n  - \"tools/cli\"\n  - '!**/test/**'\nonlyBuiltDependencies:\n  - esbuild\n")).toEqual(["packages/*", "apps/*", "tools/cli", "!**/test/**"]);
    expect(parseWorkspaceGlobs('packages: ["packages/*", apps/web]\n')).toEqual(["packages/*", "apps/web"]);
    expect(parseWorkspaceGlobs("catalog:\n  a: 1\n")).toEqual([]);
  });
});

describe("listWorkspacePackages", () => {
  it("expands dir/*, exact dirs, ** and exclusions; skips dirs without package.json and node_modules", () => {
    const repo = makeTree({
      "pnpm-workspace.yaml": "packages:\n  - packages/*\n  - tools/cli\n  - 'apps/**'\n  - '!**/fixtures/**'\n",
      "package.json": { name: "root" },
      "packages/a/package.json": { name: "@x/a" },
      "packages/b/package.json": { name: "@x/b" },
      "packages/no-manifest/README.md": "",
      "tools/cli/package.json": { name: "cli" },
      "tools/other/package.json": { name: "other" },
      "apps/web/package.json": { name: "web" },
      "apps/group/admin/package.json": { name: "admin" },
      "apps/web/fixtures/demo/package.json": { name: "demo" },
      "apps/web/node_modules/dep/package.json": { name: "dep" },
    });
    expect(listWorkspacePackages(repo.root).map((p) => p.name)).toEqual(["admin", "web", "@x/a", "@x/b", "cli"]);
  });

  it("supports package.json workspaces (npm, yarn)", () => {
    const repo = makeTree({ "package.json": { name: "root", workspaces: { packages: ["libs/*"] } }, "libs/one/package.json": { name: "one" } });
    expect(findWorkspaceRoot(repo.at("libs/one"))).toBe(repo.root);
    expect(listWorkspacePackages(repo.root)).toEqual([{ name: "one", dir: repo.at("libs/one") }]);
  });

  it("finds the root from a nested directory", () => {
    const repo = makeTree({ "pnpm-workspace.yaml": "packages:\n  - packages/*\n", "packages/a/src/x.ts": "" });
    expect(findWorkspaceRoot(repo.at("packages/a/src"))).toBe(repo.root);
  });
});
