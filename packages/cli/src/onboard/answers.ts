import fs from "node:fs";
import { Ajv, type ErrorObject, type JSONSchemaType } from "ajv";
import { CliError, EXIT } from "../exit-codes.js";
import { NAMING_CASES, PROVIDER_KINDS, providerProblems, type ProviderAnswer } from "./providers.js";

/** One secret the app declares, as the wizard asks for it (the schema format's fields). */
export interface SecretAnswer {
  name: string;
  description: string;
  type?: string;
  optional?: boolean;
}

/** Everything `keyward onboard` needs; the wizard asks for it, `--answers-file` gives it at once. */
export interface OnboardAnswers {
  /** The app's package directory (with package.json), relative to the working directory. */
  dir: string;
  /** The service name the app registers as (kebab-case). */
  service: string;
  /** The gRPC address of the Keyward service, host:port (required with provider keyward, the default). */
  serviceUrl?: string;
  /** Where the app's values come from (default { kind: "keyward" }). */
  provider?: ProviderAnswer;
  environment: string;
  /** Secrets to add to secrets.schema.json (existing ones are kept). */
  secrets: SecretAnswer[];
  /** Wire the typed client (client/init workflow: secrets-client.ts, package.json script). */
  wireClient: boolean;
  /** Depend on a local Keyward checkout's packages (link:DIR/<pkg>) instead of the published version. */
  keywardLink?: string;
}

const SECRET_NAME = "^[A-Z][A-Z0-9_]*$";
const KEBAB = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

const schema: JSONSchemaType<OnboardAnswers> = {
  type: "object",
  additionalProperties: false,
  required: ["dir", "service", "environment", "secrets", "wireClient"],
  properties: {
    dir: { type: "string", minLength: 1 },
    service: { type: "string", pattern: KEBAB, maxLength: 100 },
    serviceUrl: { type: "string", pattern: "^[^\\s/:]+:[0-9]{1,5}$", nullable: true },
    provider: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      required: ["kind"],
      properties: {
        kind: { type: "string", enum: PROVIDER_KINDS },
        address: { type: "string", pattern: "^https?://", nullable: true },
        mount: { type: "string", minLength: 1, nullable: true },
        region: { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$", nullable: true },
        vaultUrl: { type: "string", pattern: "^https://[^/\\s]+/?$", nullable: true },
        projectId: { type: "string", minLength: 1, nullable: true },
        environmentSlug: { type: "string", pattern: "^[A-Za-z0-9_-]+$", nullable: true },
        siteUrl: { type: "string", pattern: "^https?://", nullable: true },
        secretPath: { type: "string", pattern: "^/", nullable: true },
        template: { type: "string", minLength: 1, nullable: true },
        case: { type: "string", enum: NAMING_CASES, nullable: true },
      },
    },
    environment: { type: "string", pattern: "^[a-z][a-z0-9-]*$", maxLength: 63 },
    secrets: {
      type: "array",
      maxItems: 500,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "description"],
        properties: {
          name: { type: "string", pattern: SECRET_NAME, maxLength: 128 },
          description: { type: "string", minLength: 1, maxLength: 1000 },
          type: { type: "string", nullable: true, maxLength: 64 },
          optional: { type: "boolean", nullable: true },
        },
      },
    },
    wireClient: { type: "boolean" },
    keywardLink: { type: "string", nullable: true },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

/** "secrets[1].name" from ajv's "/secrets/1/name". */
const fieldOf = (e: ErrorObject): string => {
  const base = e.instancePath.replace(/^\//, "").replace(/\/(\d+)/g, "[$1]").replace(/\//g, ".");
  const missing = e.keyword === "required" ? (e.params as { missingProperty: string }).missingProperty : e.keyword === "additionalProperties" ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
  return missing ? (base ? `${base}.${missing}` : missing) : base || "(root)";
};

const explain = (e: ErrorObject): string => {
  if (e.keyword === "required") return "is required";
  if (e.keyword === "additionalProperties") return e.instancePath === "/provider" ? "is not a provider field (kind, address, mount, region, vaultUrl, projectId, environmentSlug, siteUrl, secretPath, template, case)" : "is not a known field (dir, service, serviceUrl, provider, environment, secrets, wireClient, keywardLink)";
  if (e.keyword === "enum") return `must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(", ")}`;
  if (e.keyword === "pattern") {
    const field = e.instancePath;
    if (field.endsWith("/name")) return "must be a secret name in upper snake case, e.g. STRIPE_API_KEY";
    if (field === "/service") return "must be kebab-case, e.g. identity-service";
    if (field === "/serviceUrl") return "must be host:port, e.g. 127.0.0.1:50051";
    if (field === "/provider/address" || field === "/provider/siteUrl") return "must be an http(s) URL";
    if (field === "/provider/vaultUrl") return "must be an https URL without a path, e.g. https://my-vault.vault.azure.net";
    if (field === "/provider/region") return "must be an AWS region, e.g. eu-west-1";
    if (field === "/provider/secretPath") return 'must be a folder path starting with /, e.g. "/apps/billing"';
    if (field === "/environment") return "must be an environment name (lower-case letters, digits, -)";
  }
  return e.message ?? "is invalid";
};

/** Checks answers; every problem names its field. Duplicated secret names are refused too. */
export function answersProblems(value: unknown): string[] {
  if (!validate(value)) return (validate.errors ?? []).map((e) => `${fieldOf(e)} ${explain(e)}`);
  const seen = new Set<string>();
  const problems: string[] = [];
  value.secrets.forEach((s, i) => {
    if (seen.has(s.name)) problems.push(`secrets[${i}].name "${s.name}" is listed twice`);
    seen.add(s.name);
  });
  const kind = value.provider?.kind ?? "keyward";
  if (kind === "keyward" && value.serviceUrl === undefined) problems.push("serviceUrl is required (the Keyward gRPC address, host:port) unless provider names another store");
  if (value.provider) problems.push(...providerProblems(value.provider));
  return problems;
}

/** Reads and validates an answers file; a bad one is refused naming the file and each field at fault. */
export function readAnswersFile(file: string): OnboardAnswers {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the answers file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the answers file ${file} is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  const problems = answersProblems(parsed);
  if (problems.length > 0) throw new CliError(`the answers file ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`, EXIT.usage);
  return parsed as OnboardAnswers;
}
