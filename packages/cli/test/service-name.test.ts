import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { resolveAppTarget, serviceNameFor } from "../src/run/app-target.js";
import { serviceNameFromPackage } from "../src/run/service-name.js";
import { cliEnv, runCli, tmpDir } from "./harness.js";

const SCHEMA = { type: "object", properties: { SN_KEY: { type: "string", description: "a key" } } };

function app(name: string | undefined): string {
  const dir = tmpDir("kw-service-name-");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(name === undefined ? {} : { name }));
  fs.writeFileSync(path.join(dir, "secrets.schema.json"), JSON.stringify(SCHEMA));
  return dir;
}

describe("the default service name of run and preflight", () => {
  it("is the package.json name without its npm scope, by onboard's rule", () => {
    expect(serviceNameFromPackage("@keyward/example-identity-service")).toBe("example-identity-service");
    expect(serviceNameFromPackage("billing-api")).toBe("billing-api");
    expect(serviceNameFromPackage("@acme/Billing_API")).toBe("billing-api");
    expect(serviceNameFromPackage("@acme/___")).toBeUndefined();
    expect(serviceNameFromPackage("x".repeat(200))).toBeUndefined();
    const target = resolveAppTarget({ app: app("@keyward/example-identity-service") }, process.cwd());
    expect(serviceNameFor(target, undefined, {})).toBe("example-identity-service");
    // What is set wins, as before.
    expect(serviceNameFor(target, "given", {})).toBe("given");
    expect(serviceNameFor(target, undefined, { KEYWARD_SERVICE_NAME: "from-env" })).toBe("from-env");
  });

  it("names package.json \"name\" and --service NAME when the name gives no valid service name, before any request", async () => {
    const dir = app("@acme/___");
    for (const command of [["preflight", "--app", dir], ["run", "--app", dir, "--", "true"]]) {
      const result = await runCli(command, cliEnv({ KEYWARD_URL: "http://127.0.0.1:1" }));
      expect(result.code).toBe(EXIT.usage);
      const first = result.stderr.split("\n")[0]!;
      expect(first).toContain('package.json "name"');
      expect(first).toContain('"@acme/___"');
      expect(first).toContain("--service NAME");
      expect(result.stderr).not.toContain("must match pattern");
    }
    // A name that is set but invalid is named by where it came from.
    const flagged = await runCli(["preflight", "--app", dir, "--service", "Bad Name"], cliEnv({ KEYWARD_URL: "http://127.0.0.1:1" }));
    expect(flagged.code).toBe(EXIT.usage);
    expect(flagged.stderr.split("\n")[0]).toBe('error: --service "Bad Name" is not a service name: a service name is lower case letters, digits and . _ @ / -, up to 128 characters, e.g. identity-service');
  });
});
