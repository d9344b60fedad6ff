import { SchemaError } from "../schema/errors.js";
import { walkPackageGraph } from "../schema/graph.js";
import { findWorkspaceRoot, listWorkspacePackages } from "../schema/workspace.js";

/** The workspace packages (directories) that have at least one secrets.schema.json in their dependency graph. */
export function findPackagesWithSecrets(fromDir: string): { root: string; packages: string[] } {
  const root = findWorkspaceRoot(fromDir);
  if (!root) {
    throw new SchemaError("not_found", [
      { file: fromDir, pointer: "", message: "no pnpm-workspace.yaml (or package.json \"workspaces\") in this directory or above", fix: "run --all from inside the monorepo, or drop --all to handle the package in --cwd" },
    ]);
  }
  const packages = listWorkspacePackages(root)
    .filter((p) => walkPackageGraph(p.dir).some((node) => node.schemaFile !== undefined))
    .map((p) => p.dir);
  return { root, packages };
}
