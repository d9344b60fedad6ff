// Issue #13: package.json "keyward.environment" is the generated client's default environment.
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { checkGeneratedFiles, generateSecretsFiles, loadKeywardConfig, writeGeneratedFiles } from "../../src/codegen/index.js";
import { expectSchemaError, expectSchemaErrorAsync } from "../fixtures/errors.js";
import { makeTree } from "../fixtures/tree.js";

const SCHEMA = { properties: { API_KEY: { description: "The API key" } } };
const SECRETS_SRC = path.resolve(import.meta.dirname, "../../src/index.ts");

function appWith(keyward?: unknown) {
  return makeTree({
    "package.json": { name: "app", type: "module", ...(keyward === undefined ? {} : { keyward }) },
    "secrets.schema.json": SCHEMA,
  });
}

/** Strict type-check, with @keyward/secrets resolved to this package's source. */
function typecheck(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    typeRoots: [path.resolve(import.meta.dirname, "../../../../node_modules/@types")],
    paths: { "@keyward/secrets": [SECRETS_SRC] },
    allowImportingTsExtensions: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("package.json \"keyward\" config", () => {
  it("reads keyward.environment; no section means no default", () => {
    expect(loadKeywardConfig(appWith({ environment: "development" }).root)).toEqual({ environment: "development" });
    expect(loadKeywardConfig(appWith().root)).toEqual({});
  });

  it("names a bad environment, an unknown key and a non-object section, with the file and a fix", () => {
    const bad = expectSchemaError(() => loadKeywardConfig(appWith({ environment: "Production", enviroment: "x" }).root), "invalid_config");
    expect(bad.issues.map((i) => i.pointer)).toEqual(["/keyward/enviroment", "/keyward/environment"]);
    expect(bad.message).toContain('"keyward.environment" must be an environment name');
    expect(bad.message).toContain('got "Production"');
    expect(bad.issues[0]!.fix).toContain("accepts only environment");
    expect(bad.issues[0]!.file).toMatch(/package\.json$/);
    expect(expectSchemaError(() => loadKeywardConfig(appWith("development").root), "invalid_config").message).toContain('"keyward" must be an object');
  });

  it("makes generate fail on a bad config rather than write files", async () => {
    const app = appWith({ environment: 42 });
    await expectSchemaErrorAsync(() => writeGeneratedFiles({ packageDir: app.root }), "invalid_config");
  });
});

describe("the generated createSecretsClient", () => {
  it("is written, with defaultEnvironment, only when keyward.environment is set", async () => {
    const [, plain] = await generateSecretsFiles({ packageDir: appWith().root });
    expect(plain!.content).not.toContain("createSecretsClient");
    expect(plain!.content).not.toContain("import ");
    const [, withEnv] = await generateSecretsFiles({ packageDir: appWith({ environment: "development" }).root });
    expect(withEnv!.content).toContain('import { createSecretsClient as createKeywardClient, type SecretsClient, type SecretsClientOptions } from "@keyward/secrets";');
    expect(withEnv!.content).toContain('export const defaultEnvironment = "development";');
    expect(withEnv!.content).toContain("return createKeywardClient(secretsSchema, { defaultEnvironment, ...options });");
  });

  it("type-checks strictly and types getSecret by the schema", async () => {
    const app = appWith({ environment: "staging" });
    await writeGeneratedFiles({ packageDir: app.root });
    const usage = app.write(
      "usage.ts",
      `import { createSecretsClient, defaultEnvironment } from "./secrets.js";
const env: "staging" = defaultEnvironment;
const client = createSecretsClient({ serviceName: "app", environment: "production" });
const value: Promise<string> = client.getSecret("API_KEY");
// @ts-expect-error not declared
void client.getSecret("OTHER");
export { env, value };
`,
    );
    expect(typecheck([usage])).toEqual([]);
  });

  it("check reports secrets.ts stale when the configured environment changes, and clean after generate", async () => {
    const app = appWith({ environment: "development" });
    await writeGeneratedFiles({ packageDir: app.root });
    expect(await checkGeneratedFiles({ packageDir: app.root })).toEqual([]);
    app.write("package.json", { name: "app", type: "module", keyward: { environment: "production" } });
    const stale = await checkGeneratedFiles({ packageDir: app.root });
    expect(stale.map((s) => [path.basename(s.path), s.status])).toEqual([["secrets.ts", "stale"]]);
    expect(stale[0]!.summary).toContain('export const defaultEnvironment = "production";');
    await writeGeneratedFiles({ packageDir: app.root });
    expect(await checkGeneratedFiles({ packageDir: app.root })).toEqual([]);
  });
});
