import fs from "node:fs";
import path from "node:path";
import { serviceEnvSchema } from "@keyward/common";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// No Docker engine runs where these tests run: they parse the files and check what must hold,
// so a broken reference or a root user is caught here, not at deploy time.
const REPO = path.resolve(import.meta.dirname, "../../..");
const dockerfile = fs.readFileSync(path.join(REPO, "Dockerfile"), "utf8");
const compose = parse(fs.readFileSync(path.join(REPO, "docker-compose.yml"), "utf8")) as {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; volumes?: string[]; depends_on?: Record<string, { condition: string }>; stop_grace_period?: string; healthcheck?: unknown }>;
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
    expect(runtime.body.find((i) => i.op === "STOPSIGNAL")?.args).toBe("SIGTERM");
    // The entry point exists in the package that `pnpm deploy` copies to /app.
    expect(fs.existsSync(path.join(REPO, "packages/service/bin/keyward-service.mjs"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(REPO, "packages/service/package.json"), "utf8")).files).toEqual(expect.arrayContaining(["dist", "bin"]));
  });

  it("keeps node_modules, data and keys out of the build context", () => {
    const ignored = fs.readFileSync(path.join(REPO, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const pattern of ["**/node_modules", "**/dist", "data", "**/.keyward", "**/*.key"]) expect(ignored).toContain(pattern);
  });
});

describe("docker-compose.yml", () => {
  it("runs keyward with postgres:16, each with a named volume", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["keyward", "postgres"]);
    const { keyward, postgres } = compose.services as Required<typeof compose.services>;
    expect(postgres!.image).toBe("postgres:16");
    expect(Object.keys(compose.volumes).sort()).toEqual(["keyward-data", "postgres-data"]);
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
    expect(keyward!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
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
});
