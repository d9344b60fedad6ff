import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadServiceConfig, serviceEnvSchema } from "@keyward/common";
import { createSecretsClient, createServiceToken, SecretsClientError } from "@keyward/secrets";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCertsCommand } from "../src/commands/certs.js";
import { listenerSecurity } from "../src/listener-security.js";
import { startSecretsService } from "../src/index.js";
import { baseEnv, freshPostgresUrl, runInProcess, tmpDir } from "./helpers.js";

// No Docker engine runs where these tests run: they parse the files and check what must hold,
// so a broken reference or a root user is caught here, not at deploy time. The TLS setup is also
// run for real: the one-shot's certs command, the service with compose's settings, and the
// Dockerfile's health check script against it.
const REPO = path.resolve(import.meta.dirname, "../../..");
const dockerfile = fs.readFileSync(path.join(REPO, "Dockerfile"), "utf8");
const compose = parse(fs.readFileSync(path.join(REPO, "docker-compose.yml"), "utf8")) as {
  services: Record<
    string,
    { image?: string; build?: string; command?: string[]; environment?: Record<string, string>; volumes?: string[]; depends_on?: Record<string, { condition: string }>; stop_grace_period?: string; healthcheck?: unknown }
  >;
  volumes: Record<string, unknown>;
};

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  return joined.map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(" ") };
  });
}

const all = instructions(dockerfile);
const stages: { from: string; name?: string; body: Instruction[] }[] = [];
for (const ins of all) {
  if (ins.op === "FROM") {
    const [image, as, name] = ins.args.split(/\s+/);
    stages.push({ from: image!, name: as?.toUpperCase() === "AS" ? name : undefined, body: [] });
  } else stages.at(-1)?.body.push(ins);
}
const runtime = stages.at(-1)!;
const envOf = (stage: typeof runtime) =>
  Object.fromEntries(stage.body.filter((i) => i.op === "ENV").flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])));

const TLS_SETTINGS = ["KEYWARD_GRPC_TLS_CERT_FILE", "KEYWARD_GRPC_TLS_KEY_FILE", "KEYWARD_HTTP_TLS_CERT_FILE", "KEYWARD_HTTP_TLS_KEY_FILE"] as const;
const withoutTls = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).filter(([k]) => !k.includes("_TLS_")));
/** The listener rule start applies, for an environment (with a stand-in for the compose password). */
const security = (env: Record<string, string>) => listenerSecurity(loadServiceConfig({ ...env, ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL.replace("${POSTGRES_PASSWORD}", "x") } : {}) }, "/")).kind;
const healthcheckScript = () => JSON.parse(/CMD (\[.*\])$/.exec(runtime.body.find((i) => i.op === "HEALTHCHECK")!.args)![1]!) as string[];

describe("Dockerfile", () => {
  it("is multi-stage on node:20-slim and copies only from its own stages", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toBe("node:20-slim");
    const names = new Set(stages.map((s) => s.name));
    for (const copy of all.filter((i) => i.op === "COPY" && i.args.includes("--from="))) {
      expect(names.has(/--from=(\S+)/.exec(copy.args)![1]), copy.args).toBe(true);
    }
  });

  it("runs the runtime stage as a non-root user, with the data directory as a volume", () => {
    const user = runtime.body.filter((i) => i.op === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0", "0:0"]).not.toContain(user);
    const env = envOf(runtime);
    expect(env.KEYWARD_DATA_DIR).toBe("/var/lib/keyward");
    // The owner token never goes to the container's log, terminal or not.
    expect(env.KEYWARD_BOOTSTRAP_TOKEN_OUTPUT).toBe("file");
    expect(runtime.body.find((i) => i.op === "VOLUME")?.args).toContain(env.KEYWARD_DATA_DIR);
    // The user owns the data directory (created before the USER switch) with mode 700.
    const run = runtime.body.filter((i) => i.op === "RUN").map((i) => i.args).join(" ");
    expect(run).toMatch(new RegExp(`chown ${user}:${user} ${env.KEYWARD_DATA_DIR}`));
    expect(run).toMatch(new RegExp(`chmod 700 ${env.KEYWARD_DATA_DIR}`));
    // Every variable it sets is one the service's schema knows (NODE_ENV aside).
    const known = Object.keys(serviceEnvSchema.properties);
    for (const name of Object.keys(env).filter((n) => n !== "NODE_ENV")) expect(known, name).toContain(name);
  });

  it("starts keyward-service, exposes its ports, checks /readyz and stops with SIGTERM", () => {
    expect(runtime.body.find((i) => i.op === "ENTRYPOINT")?.args).toBe('["node", "/app/bin/keyward-service.mjs"]');
    expect(runtime.body.find((i) => i.op === "CMD")?.args).toBe('["start"]');
    const env = envOf(runtime);
    expect(runtime.body.find((i) => i.op === "EXPOSE")?.args.split(/\s+/).sort()).toEqual([env.KEYWARD_GRPC_PORT, env.KEYWARD_HTTP_PORT].sort());
    expect(runtime.body.find((i) => i.op === "HEALTHCHECK")?.args).toContain("/readyz");
    expect(healthcheckScript().slice(0, 2)).toEqual(["node", "-e"]);
    expect(runtime.body.find((i) => i.op === "STOPSIGNAL")?.args).toBe("SIGTERM");
    // The entry point exists in the package that `pnpm deploy` copies to /app.
    expect(fs.existsSync(path.join(REPO, "packages/service/bin/keyward-service.mjs"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(REPO, "packages/service/package.json"), "utf8")).files).toEqual(expect.arrayContaining(["dist", "bin"]));
  });

  it("listens beyond loopback only with TLS on both listeners, from files in a volume the user owns", () => {
    const env = envOf(runtime);
    expect(env.KEYWARD_HOST).toBe("0.0.0.0");
    for (const name of TLS_SETTINGS) expect(env[name], name).toMatch(/^\/etc\/keyward\/tls\//);
    expect(env.KEYWARD_ALLOW_INSECURE).toBeUndefined();
    expect(security(env)).toBe("tls");
    // Without the TLS settings, the same image would refuse to start.
    expect(security(withoutTls(env))).toBe("refused");
    expect(runtime.body.find((i) => i.op === "VOLUME")?.args).toContain("/etc/keyward/tls");
    const run = runtime.body.filter((i) => i.op === "RUN").map((i) => i.args).join(" ");
    expect(run).toMatch(/chown keyward:keyward \/var\/lib\/keyward \/etc\/keyward\/tls/);
    expect(run).toMatch(/chmod 700 \/var\/lib\/keyward \/etc\/keyward\/tls/);
  });

  it("keeps node_modules, data and keys out of the build context", () => {
    const ignored = fs.readFileSync(path.join(REPO, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const pattern of ["**/node_modules", "**/dist", "data", "**/.keyward", "**/*.key"]) expect(ignored).toContain(pattern);
  });
});

describe("docker-compose.yml", () => {
  it("runs keyward with postgres:16, each with a named volume", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["keyward", "keyward-certs", "postgres"]);
    const { keyward, postgres } = compose.services as Required<typeof compose.services>;
    expect(postgres!.image).toBe("postgres:16");
    expect(Object.keys(compose.volumes).sort()).toEqual(["keyward-data", "keyward-tls", "postgres-data"]);
    expect(postgres!.volumes).toContain("postgres-data:/var/lib/postgresql/data");
    const dataDir = keyward!.environment!.KEYWARD_DATA_DIR;
    expect(dataDir).toBe(envOf(runtime).KEYWARD_DATA_DIR);
    expect(keyward!.volumes).toContain(`keyward-data:${dataDir}`);
    expect(keyward!.build).toBe(".");
  });

  it("points keyward at the postgres service and waits for it to be healthy", () => {
    const { keyward, postgres } = compose.services;
    const url = new URL(keyward!.environment!.DATABASE_URL!.replace("${POSTGRES_PASSWORD}", "x"));
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("postgres");
    expect(url.username).toBe(postgres!.environment!.POSTGRES_USER);
    expect(url.pathname).toBe(`/${postgres!.environment!.POSTGRES_DB}`);
    expect(keyward!.depends_on).toMatchObject({ postgres: { condition: "service_healthy" } });
    expect(postgres!.healthcheck).toBeDefined();
    // The password comes from .env, never from this file.
    expect(postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it("sets only variables the service's schema knows, with values it accepts, and a stop grace longer than the drain", async () => {
    const { loadServiceConfig } = await import("@keyward/common");
    const env = compose.services.keyward!.environment!;
    const known = Object.keys(serviceEnvSchema.properties);
    for (const name of Object.keys(env)) expect(known, name).toContain(name);
    const config = loadServiceConfig({ ...env, DATABASE_URL: env.DATABASE_URL!.replace("${POSTGRES_PASSWORD}", "x") }, "/");
    expect(config).toMatchObject({ dataDir: "/var/lib/keyward", host: "0.0.0.0", grpcPort: 50051, httpPort: 8080 });
    expect(Number.parseInt(compose.services.keyward!.stop_grace_period!, 10) * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
  });

  it("makes development certificates once in a one-shot service, and starts keyward with TLS on both listeners from them", () => {
    const { keyward, "keyward-certs": certs } = compose.services;
    expect(certs!.image).toBe(keyward!.image);
    expect(certs!.command!.slice(0, 3)).toEqual(["certs", "--out", "/etc/keyward/tls"]);
    // Idempotent, so a second `up` (or a restart) keeps the CA the clients already trust.
    expect(certs!.command).toContain("--keep-existing");
    expect(certs!.volumes).toEqual(["keyward-tls:/etc/keyward/tls"]);
    expect(keyward!.volumes).toContain("keyward-tls:/etc/keyward/tls:ro");
    expect(keyward!.depends_on!["keyward-certs"]).toEqual({ condition: "service_completed_successfully" });
    const env = keyward!.environment!;
    for (const name of [...TLS_SETTINGS, "KEYWARD_GRPC_TLS_CLIENT_CA_FILE"]) expect(env[name], name).toMatch(/^\/etc\/keyward\/tls\//);
    expect(env.KEYWARD_ALLOW_INSECURE).toBeUndefined();
    expect(security(env)).toBe("tls");
    expect(security(withoutTls(env))).toBe("refused");
  });

  it("really works: the one-shot's certs, the service with compose's settings, the Dockerfile's health check over HTTPS, and the app over mutual TLS", async () => {
    const root = tmpDir("kw-docker-");
    const tlsDir = path.join(root, "tls");
    const local = (value: string) => value.replace("/etc/keyward/tls", tlsDir);
    const [command, ...args] = compose.services["keyward-certs"]!.command!.map(local);
    expect(command).toBe("certs");
    for (let run = 0; run < 2; run++) {
      const r = await runInProcess(runCertsCommand, args, baseEnv());
      expect(r.code, r.stderr).toBe(0);
    }
    const composeEnv = Object.fromEntries(Object.entries(compose.services.keyward!.environment!).map(([k, v]) => [k, local(v)]));
    // Loopback and free ports here; PostgreSQL is the real local one.
    const env = { ...composeEnv, DATABASE_URL: await freshPostgresUrl(), KEYWARD_DATA_DIR: path.join(root, "data"), KEYWARD_HOST: "127.0.0.1", KEYWARD_GRPC_PORT: "0", KEYWARD_HTTP_PORT: "0", KEYWARD_LOG_LEVEL: "silent" };
    // Asynchronous: the service runs in this process and must answer while the check runs.
    const healthcheck = (port: number) => {
      const [node, ...argv] = healthcheckScript();
      expect(node).toBe("node");
      const child = spawn(process.execPath, argv, { env: { ...baseEnv(), ...envOf(runtime), KEYWARD_HTTP_PORT: String(port) }, stdio: "ignore", timeout: 30_000 });
      return new Promise<number | null>((resolve) => child.once("exit", resolve));
    };
    const service = await startSecretsService({ env });
    const port = service.config.httpPort;
    try {
      expect(service.adminUrl).toMatch(/^https:/);
      expect(await healthcheck(port)).toBe(0);
      const schema = { properties: { STRIPE_API_KEY: { description: "Stripe API key" } } } as const;
      const client = (tlsEnv: Record<string, string>) => createSecretsClient(schema, { url: service.grpcAddress, token: createServiceToken(), serviceName: "app", env: tlsEnv, retry: { maxAttempts: 1 } });
      const app = client({ KEYWARD_TLS_CA_FILE: path.join(tlsDir, "ca.crt"), KEYWARD_TLS_CERT_FILE: path.join(tlsDir, "client-app.crt"), KEYWARD_TLS_KEY_FILE: path.join(tlsDir, "client-app.key") });
      const anonymous = client({ KEYWARD_TLS_CA_FILE: path.join(tlsDir, "ca.crt") });
      try {
        expect(await app.register()).toBe("pending");
        expect(await anonymous.register().catch((e: SecretsClientError) => e.reason)).toBe("unavailable");
      } finally {
        await app.close();
        await anonymous.close();
      }
    } finally {
      await service.close();
    }
    // And the check fails once nothing answers.
    expect(await healthcheck(port)).toBe(1);
  });
});
