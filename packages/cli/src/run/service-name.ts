import { serviceNameProblem } from "@keyward/common";

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The service name an app's package.json "name" gives: without its npm scope, in lower case, other
 * characters as "-" ("@acme/identity-service" → "identity-service"); undefined when that is not a
 * valid service name. The one rule for `keyward onboard`'s default and `run` / `preflight` when no
 * name is set, so an app registers under the same name whichever wrote it.
 */
export function serviceNameFromPackage(packageName: string | undefined): string | undefined {
  const bare = packageName?.replace(/^@[^/]+\//, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return bare && KEBAB.test(bare) && serviceNameProblem(bare) === undefined ? bare : undefined;
}
