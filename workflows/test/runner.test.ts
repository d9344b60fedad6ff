import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan, kebabNameProblem, listWorkflows, loadWorkflow, nameForms, planWorkflow, renameAll, WorkflowError } from "../src/index.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures/catalog");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kw-wf-"));
const base = (cwd: string) => ({ cwd, keywardVersion: "^9.9.9" });

function thrown(fn: () => unknown): WorkflowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WorkflowError) return error;
    throw error;
  }
  throw new Error("expected a WorkflowError");
}

describe("names", () => {
  it("derives the four forms from kebab-case", () => {
    expect(nameForms("acme-secrets-v2")).toEqual({ kebab: "acme-secrets-v2", camel: "acmeSecretsV2", pascal: "AcmeSecretsV2", snake: "ACME_SECRETS_V2" });
    expect(nameForms("mailer")).toEqual({ kebab: "mailer", camel: "mailer", pascal: "Mailer", snake: "MAILER" });
  });

  it("renames every form, leaving other text alone", () => {
    const text = "template-name templateName TemplateName TEMPLATE_NAME startSecretsService";
    expect(renameAll(text, nameForms("template-name"), nameForms("acme-vault"))).toBe("acme-vault acmeVault AcmeVault ACME_VAULT startSecretsService");
  });

  it("explains bad names", () => {
    expect(kebabNameProblem("acme")).toBeUndefined();
    expect(kebabNameProblem("")).toMatch(/empty/);
    expect(kebabNameProblem("Acme")).toMatch(/not kebab-case/);
    expect(kebabNameProblem("acme--x")).toMatch(/single hyphens/);
    expect(kebabNameProblem("1acme")).toMatch(/starting with a letter/);
    expect(kebabNameProblem("../etc")).toMatch(/not kebab-case/);
    expect(kebabNameProblem("a".repeat(65))).toMatch(/limit is 64/);
  });
});

describe("runner", () => {
  it("lists the shipped catalog", () => {
    expect(listWorkflows().map((m) => m.id)).toEqual(["client/init", "secrets-service/init", "secrets/add"]);
  });

  it("renames placeholders in paths and contents, restores .gitignore and fills Keyward specs", async () => {
    const cwd = tmp();
    const plan = planWorkflow(loadWorkflow("demo/rename", FIXTURES), { ...base(cwd), name: "acme-vault" });
    expect(plan.dir).toBe(path.join(cwd, "out/acme-vault"));
    expect(plan.files.map((f) => [f.relPath, f.action]).sort()).toEqual([
      [".gitignore", "create"],
      ["ACME_VAULT.env", "create"],
      ["notes.md", "create"],
      [path.join("src/acme-vault/AcmeVault.ts"), "create"],
    ]);
    await applyPlan(plan);
    const ts = fs.readFileSync(path.join(plan.dir, "src/acme-vault/AcmeVault.ts"), "utf8");
    expect(ts).toBe(
      'export const acmeVault = "acme-vault";\nexport class AcmeVault {}\nexport const ACME_VAULT_URL = process.env.ACME_VAULT_URL;\nexport const dep = "^9.9.9";\n',
    );
    expect(fs.readFileSync(path.join(plan.dir, "ACME_VAULT.env"), "utf8")).toBe("ACME_VAULT_PORT=1\n");
    expect(fs.readFileSync(path.join(plan.dir, ".gitignore"), "utf8")).toBe("dist/\n");
  });

  it("links local Keyward packages with keywardLink", () => {
    const cwd = tmp();
    const plan = planWorkflow(loadWorkflow("demo/rename", FIXTURES), { ...base(cwd), name: "x", keywardLink: "vendor/keyward" });
    const ts = plan.files.find((f) => f.relPath.endsWith(".ts"))!;
    expect(ts.content).toContain(`"link:${path.join(cwd, "vendor/keyward/service")}"`);
  });

  it("skips identical files, keeps the user's own files, and refuses to overwrite a different one", async () => {
    const cwd = tmp();
    const workflow = loadWorkflow("demo/rename", FIXTURES);
    await applyPlan(planWorkflow(workflow, { ...base(cwd), name: "acme" }));
    const again = planWorkflow(workflow, { ...base(cwd), name: "acme" });
    expect(new Set(again.files.map((f) => f.action))).toEqual(new Set(["unchanged"]));
    expect((await applyPlan(again)).written).toEqual([]);

    const dir = again.dir;
    fs.writeFileSync(path.join(dir, "notes.md"), "my notes\n");
    fs.writeFileSync(path.join(dir, "ACME.env"), "ACME_PORT=2\n");
    const conflicted = planWorkflow(workflow, { ...base(cwd), name: "acme" });
    expect(conflicted.files.find((f) => f.relPath === "notes.md")!.action).toBe("keep");
    expect(conflicted.files.find((f) => f.relPath === "ACME.env")!.action).toBe("conflict");
    await expect(applyPlan(conflicted)).rejects.toThrow(/refusing to overwrite 1 file\(s\)[\s\S]*ACME\.env: a different file is already there; pass --force/);
    expect(fs.readFileSync(path.join(dir, "ACME.env"), "utf8")).toBe("ACME_PORT=2\n");

    const forced = planWorkflow(workflow, { ...base(cwd), name: "acme", force: true });
    expect(forced.files.find((f) => f.relPath === "ACME.env")!.action).toBe("overwrite");
    await applyPlan(forced);
    expect(fs.readFileSync(path.join(dir, "ACME.env"), "utf8")).toBe("ACME_PORT=1\n");
    // --force never touches a keepExisting file.
    expect(fs.readFileSync(path.join(dir, "notes.md"), "utf8")).toBe("my notes\n");
  });

  it("rejects bad names and directories with clear errors", () => {
    const cwd = tmp();
    const workflow = loadWorkflow("demo/rename", FIXTURES);
    expect(thrown(() => planWorkflow(workflow, base(cwd))).message).toMatch(/--name is required for demo\/rename: a kebab-case name/);
    const bad = thrown(() => planWorkflow(workflow, { ...base(cwd), name: "My_App" }));
    expect(bad.code).toBe("bad_name");
    expect(bad.message).toMatch(/--name: "My_App" is not kebab-case/);
    fs.writeFileSync(path.join(cwd, "file"), "x");
    const isFile = thrown(() => planWorkflow(workflow, { ...base(cwd), name: "a", dir: "file" }));
    expect(isFile.code).toBe("bad_dir");
    expect(isFile.message).toMatch(/is a file, not a directory/);
    expect(thrown(() => planWorkflow(workflow, { ...base(cwd), name: "a", dir: "file/sub/dir" })).message).toMatch(/cannot be created: .*\/file is a file/);
    expect(thrown(() => planWorkflow(workflow, { ...base(cwd), name: "a", dir: "" })).message).toMatch(/not a usable path/);
  });

  it("names unknown workflows and invalid manifests", () => {
    expect(thrown(() => loadWorkflow("demo/nope", FIXTURES)).message).toMatch(/no workflow "demo\/nope"; available: demo\/broken, demo\/rename$/);
    expect(thrown(() => loadWorkflow("../../etc", FIXTURES)).message).toMatch(/is not a workflow id/);
    const broken = thrown(() => loadWorkflow("demo/broken", FIXTURES));
    expect(broken.code).toBe("bad_manifest");
    expect(broken.message).toMatch(/workflow\.json is not a valid workflow manifest/);
    expect(broken.message).toMatch(/must have required property 'dir'/);
    expect(broken.message).toMatch(/\/name\/kind must be equal to one of the allowed values/);
  });
});
