import { runCommand, UsageError, type CommandIo } from "@keyward/common";
import { unwrap } from "@keyward/admin-client";
import { EXIT } from "../exit-codes.js";
import { connectApp } from "../onboard/connect.js";
import { readAnswersFile, type OnboardAnswers } from "../onboard/answers.js";
import { interview, type InterviewDefaults } from "../onboard/interview.js";
import { renderReport, nextStep } from "../onboard/report.js";
import { scaffoldApp } from "../onboard/scaffold.js";
import { painter } from "../output/format.js";
import { isInteractive } from "../prompt/terminal.js";
import { adminClientFor, resolveConnection } from "../profile/connection.js";

export const ONBOARD_HELP = `Usage:
  keyward onboard [--dir DIR] [--service NAME] [--service-url HOST:PORT] [--environment NAME]
  keyward onboard --non-interactive --answers-file FILE [--json]

Connects an app to Keyward, step by step: finds or creates its secrets.schema.json and adds the
secrets you name (the secrets/add workflow, which regenerates secrets.ts), wires the typed client
(the client/init workflow), creates the app's service token in DIR/.keyward/service-token (0600,
added to .gitignore, never printed), writes KEYWARD_URL, KEYWARD_TOKEN_FILE, KEYWARD_ENVIRONMENT
and KEYWARD_SERVICE_NAME into DIR/.env (other lines kept), registers the token, and ends with a
health check (gRPC health, the token's status, which secrets still wait) and the exact next step.
Running it again changes nothing that is already in place.

The app's values come from Keyward by default; it can read them from another store instead
(provider: env, vault, aws, azure or infisical): secrets-client.ts is written with that provider,
its SDK is added to package.json, no token is made, and the health check asks the provider's own
health() (credentials from the store's usual variables: VAULT_TOKEN, AWS_*, AZURE_*, INFISICAL_*).

On a terminal it asks; with --non-interactive it takes everything from an answers file (JSON):
  { "dir": "apps/identity", "service": "identity-service", "serviceUrl": "127.0.0.1:50051",
    "environment": "development", "wireClient": true,
    "secrets": [{ "name": "STRIPE_API_KEY", "description": "Stripe API key", "type": "api-key" }] }
  another store: "provider": { "kind": "vault", "address": "https://vault:8200", "template": "apps/{name}" }
  (vault: address, mount; aws: region; azure: vaultUrl; infisical: projectId, environmentSlug,
  siteUrl, secretPath; each: template, case), and no serviceUrl.
A bad answers file is refused before anything is written, naming each field at fault.

  --keyward-link DIR   depend on a local Keyward checkout's packages (link:DIR/<pkg>)
  --json               print the result as JSON (with --non-interactive)

Exit codes: 0 onboarded (approvals may still wait: the report says which), 2 a bad answer or
answers file, 4 the service's gRPC address (or the provider) did not answer (files are in place; run again).
`;

export function runOnboardCommand(argv: string[], io: CommandIo): Promise<number> {
  const flags = {
    dir: { type: "string" },
    service: { type: "string" },
    "service-url": { type: "string" },
    environment: { type: "string" },
    "non-interactive": { type: "boolean" },
    "answers-file": { type: "string" },
    "keyward-link": { type: "string" },
    json: { type: "boolean" },
  } as const;
  return runCommand(argv, io, ONBOARD_HELP, flags, async ({ values, positionals }) => {
    if (positionals.length > 0) throw new UsageError(`onboard takes no arguments (use --dir), got "${positionals[0]}"`);
    const cwd = process.cwd();
    let answers: OnboardAnswers;
    if (values["non-interactive"]) {
      if (!values["answers-file"]) throw new UsageError("--non-interactive needs --answers-file FILE (see keyward onboard --help for its fields)");
      answers = readAnswersFile(values["answers-file"]);
      if (values["keyward-link"] && !answers.keywardLink) answers.keywardLink = values["keyward-link"];
    } else {
      if (values["answers-file"]) throw new UsageError("--answers-file goes with --non-interactive");
      if (values.json) throw new UsageError("--json goes with --non-interactive");
      if (!isInteractive(io.stdin)) throw new UsageError("onboard asks questions and needs a terminal; in CI use --non-interactive --answers-file FILE");
      const defaults: InterviewDefaults = {
        ...(values.dir ? { dir: values.dir } : {}),
        ...(values.service ? { service: values.service } : {}),
        ...(values["service-url"] ? { serviceUrl: values["service-url"] } : {}),
        ...(values.environment ? { environment: values.environment } : {}),
        ...(values["keyward-link"] ? { keywardLink: values["keyward-link"] } : {}),
        ...(await knownEnvironments(io.env)),
      };
      answers = await interview({ input: io.stdin!, output: io.stdout }, cwd, defaults);
    }
    const scaffold = await scaffoldApp(answers, cwd);
    const result = await connectApp(answers, cwd, io.env);
    const ctx = { dir: answers.dir, environment: answers.environment, service: answers.service, wired: answers.wireClient };
    if (values.json) {
      io.stdout.write(JSON.stringify({ answers, scaffold, ...result, next: nextStep(result, ctx) }, null, 2) + "\n");
    } else {
      const paint = painter(io.stdout, io.env);
      io.stdout.write(renderReport(scaffold, result, ctx, (ok) => (ok ? paint("green", "✓") : paint("yellow", "…"))));
    }
    return result.health === "serving" ? EXIT.ok : EXIT.unreachable;
  });
}

/** The service's environments and the profile's default, when a profile is saved; nothing otherwise. */
async function knownEnvironments(env: NodeJS.ProcessEnv): Promise<Pick<InterviewDefaults, "environments" | "environment">> {
  try {
    const connection = resolveConnection(env);
    const { items } = await unwrap(adminClientFor(connection).GET("/api/environments"));
    return { environments: items.map((e) => e.name), ...(connection.environment ? { environment: connection.environment } : {}) };
  } catch {
    return {};
  }
}
