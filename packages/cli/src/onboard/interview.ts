import fs from "node:fs";
import path from "node:path";
import { KEYWARD_SECRET_TYPES } from "@keyward/secrets";
import { askConfirm, askSelect, askText, type PromptIo } from "../prompt/ask.js";
import type { OnboardAnswers, SecretAnswer } from "./answers.js";
import { declaredSecrets } from "./scaffold.js";

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

/** The app's package name as a kebab-case service name ("@acme/identity-service" → "identity-service"). */
export function serviceNameOf(dir: string): string | undefined {
  try {
    const name = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name;
    const bare = name?.replace(/^@[^/]+\//, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
    return bare && KEBAB.test(bare) ? bare : undefined;
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
  const serviceUrl = await askText(io, "Keyward gRPC address", { default: defaults.serviceUrl ?? "127.0.0.1:50051", check: (u) => (/^[^\s/:]+:\d{1,5}$/.test(u) ? undefined : "use host:port, e.g. 127.0.0.1:50051") });
  const environments = defaults.environments ?? [];
  const environment =
    environments.length > 0
      ? await askSelect(io, "Environment", environments.map((e) => ({ value: e, label: e })), Math.max(0, environments.indexOf(defaults.environment ?? "development")))
      : await askText(io, "Environment", { default: defaults.environment ?? "development", check: (e) => (/^[a-z][a-z0-9-]*$/.test(e) ? undefined : "lower-case letters, digits and -") });
  return { dir, service, serviceUrl, environment, secrets, wireClient, ...(defaults.keywardLink ? { keywardLink: defaults.keywardLink } : {}) };
}
