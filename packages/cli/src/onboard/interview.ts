import fs from "node:fs";
import path from "node:path";
import { KEYWARD_SECRET_TYPES } from "@keyward/secrets";
import { askConfirm, askSelect, askText, type PromptIo } from "../prompt/ask.js";
import type { OnboardAnswers, SecretAnswer } from "./answers.js";
import { serviceNameFromPackage } from "../run/service-name.js";
import { declaredSecrets } from "./scaffold.js";
import { PROVIDER_KINDS, type ProviderAnswer, type ProviderKind } from "./providers.js";

const PROVIDER_LABELS: Record<ProviderKind, string> = {
  keyward: "Keyward (this service; tokens and approvals)",
  env: "environment variables and .env (local development)",
  vault: "HashiCorp Vault (KV v2)",
  aws: "AWS Secrets Manager",
  azure: "Azure Key Vault",
  infisical: "Infisical",
};
const url = (scheme: RegExp, example: string) => (u: string) => (scheme.test(u) ? undefined : `use a URL such as ${example}`);

/** The settings of the chosen provider, asked one by one (credentials are never asked: the app reads them from the environment). */
async function askProvider(io: PromptIo, kind: ProviderKind): Promise<ProviderAnswer> {
  if (kind === "vault") return { kind, address: await askText(io, "Vault address", { default: "https://127.0.0.1:8200", check: url(/^https?:\/\/\S+$/, "https://vault.example.com:8200") }) };
  if (kind === "aws") {
    const region = await askText(io, "AWS region (empty: AWS_REGION at run time)", { default: "", check: (r) => (r === "" || /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r) ? undefined : "use a region such as eu-west-1") });
    return { kind, ...(region ? { region } : {}) };
  }
  if (kind === "azure") return { kind, vaultUrl: await askText(io, "Key Vault URL", { check: url(/^https:\/\/[^/\s]+\/?$/, "https://my-vault.vault.azure.net") }) };
  if (kind === "infisical") {
    const projectId = await askText(io, "Infisical project id", { check: (p) => (p.trim() ? undefined : "the project's id, from its settings") });
    const environmentSlug = await askText(io, "Infisical environment slug", { default: "dev", check: (e) => (/^[A-Za-z0-9_-]+$/.test(e) ? undefined : "a slug such as dev or prod") });
    return { kind, projectId, environmentSlug };
  }
  return { kind };
}

/** What the wizard starts from: flags given on the command line and the environments the service has. */
export interface InterviewDefaults {
  dir?: string;
  service?: string;
  serviceUrl?: string;
  environment?: string;
  /** Environment names from the admin API when logged in; free text otherwise. */
  environments?: string[];
  keywardLink?: string;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The app's package name as a kebab-case service name ("@acme/identity-service" → "identity-service"; the rule run and preflight use too). */
export function serviceNameOf(dir: string): string | undefined {
  try {
    return serviceNameFromPackage((JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name);
  } catch {
    return undefined;
  }
}

/** Asks, one question at a time, for everything onboarding needs; each answer is checked as it is given. */
export async function interview(io: PromptIo, cwd: string, defaults: InterviewDefaults): Promise<OnboardAnswers> {
  io.output.write("keyward onboard: connect an app to Keyward (Ctrl-C stops; nothing is written until the end)\n\n");
  const dir = await askText(io, "App directory (with its package.json)", {
    default: defaults.dir ?? ".",
    check: (d) => (fs.existsSync(path.join(path.resolve(cwd, d), "package.json")) ? undefined : `${path.resolve(cwd, d)} has no package.json`),
  });
  const appDir = path.resolve(cwd, dir);
  const service = await askText(io, "Service name the app registers as", {
    ...((defaults.service ?? serviceNameOf(appDir)) ? { default: defaults.service ?? serviceNameOf(appDir)! } : {}),
    check: (s) => (KEBAB.test(s) ? undefined : "use kebab-case, e.g. identity-service"),
  });
  const declared = declaredSecrets(appDir);
  io.output.write(declared.length > 0 ? `  secrets.schema.json declares ${declared.join(", ")}\n` : "  no secrets.schema.json yet: one will be created\n");
  const secrets: SecretAnswer[] = [];
  while (await askConfirm(io, declared.length + secrets.length === 0 ? "Add a secret?" : "Add another secret?", declared.length + secrets.length === 0)) {
    const taken = new Set([...declared, ...secrets.map((s) => s.name)]);
    const name = await askText(io, "Secret name", { check: (n) => (!SECRET_NAME.test(n) ? "use upper snake case, e.g. STRIPE_API_KEY" : taken.has(n) ? `${n} is already declared` : undefined) });
    const description = await askText(io, `What is ${name} for?`, { check: (d) => (d.length === 0 ? "a description helps the admin who approves it" : undefined) });
    const type = await askSelect(io, "Type", KEYWARD_SECRET_TYPES.map((t) => ({ value: t, label: t })));
    const optional = !(await askConfirm(io, "Does the app need it to start?", true));
    secrets.push({ name, description, ...(type !== "generic" ? { type } : {}), ...(optional ? { optional } : {}) });
  }
  const wireClient = await askConfirm(io, "Wire the typed client (secrets-client.ts and a secrets:generate script)?", !fs.existsSync(path.join(appDir, "secrets-client.ts")));
  const kind = await askSelect(io, "Where do the app's values come from?", PROVIDER_KINDS.map((k) => ({ value: k, label: PROVIDER_LABELS[k] })));
  const provider = await askProvider(io, kind);
  const serviceUrl =
    kind === "keyward" ? await askText(io, "Keyward gRPC address", { default: defaults.serviceUrl ?? "127.0.0.1:50051", check: (u) => (/^[^\s/:]+:\d{1,5}$/.test(u) ? undefined : "use host:port, e.g. 127.0.0.1:50051") }) : undefined;
  const environments = defaults.environments ?? [];
  const environment =
    environments.length > 0
      ? await askSelect(io, "Environment", environments.map((e) => ({ value: e, label: e })), Math.max(0, environments.indexOf(defaults.environment ?? "development")))
      : await askText(io, "Environment", { default: defaults.environment ?? "development", check: (e) => (/^[a-z][a-z0-9-]*$/.test(e) ? undefined : "lower-case letters, digits and -") });
  return {
    dir,
    service,
    ...(serviceUrl !== undefined ? { serviceUrl } : { provider }),
    environment,
    secrets,
    wireClient,
    ...(defaults.keywardLink ? { keywardLink: defaults.keywardLink } : {}),
  };
}
