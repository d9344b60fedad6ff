// Health, reflection and interop: clients built only from .proto files with @grpc/proto-loader,
// no Keyward client code (the shipped secrets.proto is read by path from packages/proto).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { credentials, loadPackageDefinition, Metadata, status, type Client, type GrpcObject, type ServiceClientConstructor, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, freshPglite, reasonOf, secretFor, startTestServer, tokenWithStatus, type TestServer } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHIPPED_PROTO = path.resolve(here, "../../proto/proto/keyward/secrets/v1/secrets.proto");
const HEALTH_PROTO = path.resolve(here, "../node_modules/grpc-health-check/proto/health/v1/health.proto");
const REFLECTION_PROTO = path.resolve(here, "../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto");

const ctor = (pkg: GrpcObject, dotted: string) => dotted.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], pkg) as ServiceClientConstructor;
type Dyn = Client & Record<string, (req: unknown, md: Metadata, cb: (err: ServiceError | null, res: unknown) => void) => void>;
const call = <T>(client: Dyn, method: string, req: unknown, md = new Metadata()) =>
  new Promise<{ res?: T; err?: ServiceError }>((resolve) => client[method]!(req, md, (err, res) => resolve(err ? { err } : { res: res as T })));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(await freshPglite());
});
afterAll(async () => t?.close());

describe("a client built only from the shipped secrets.proto", () => {
  it("calls RegisterToken, GetSecret and GetSecrets", async () => {
    const pkg = loadPackageDefinition(loadSync(SHIPPED_PROTO, { keepCase: true, enums: String, longs: Number, defaults: true }));
    const Secrets = ctor(pkg, "keyward.secrets.v1.SecretsService");
    const client = new Secrets(t.address, credentials.createInsecure()) as Dyn;
    try {
      const token = "kws_" + "A".repeat(43);
      const registered = await call<{ status: string }>(client, "RegisterToken", { service_name: "interop-svc", service_version: "9.9.9" }, bearer(token));
      expect(registered.res?.status).toBe("TOKEN_STATUS_PENDING");

      // An approved token past its expiry: the new enum value and the Timestamp decode from the .proto alone.
      const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const { token: expired } = await tokenWithStatus(t.kdb.db, "interop-expired", "approved", expiresAt);
      const late = await call<{ status: string; expires_at: { seconds: number; nanos: number } | null }>(client, "RegisterToken", { service_name: "interop-expired", service_version: "1" }, bearer(expired));
      expect(late.res?.status).toBe("TOKEN_STATUS_EXPIRED");
      expect(late.res?.expires_at).toEqual({ seconds: expiresAt.getTime() / 1000, nanos: 0 });

      const { token: approved } = await tokenWithStatus(t.kdb.db, "interop-approved", "approved");
      await secretFor(t.kdb.db, t.envelope, { name: "INTEROP_VALUE", serviceName: "interop-approved", value: "interop-value-123", access: "granted" });
      const one = await call<{ name: string; value: string; version: number }>(client, "GetSecret", { name: "INTEROP_VALUE", description: "test" }, bearer(approved));
      expect(one.res).toEqual({ name: "INTEROP_VALUE", value: "interop-value-123", version: 1 });

      const batch = await call<{ results: { name: string; reason: string; value: string }[] }>(
        client,
        "GetSecrets",
        { secrets: [{ name: "INTEROP_VALUE", description: "test" }, { name: "INTEROP_MISSING", description: "" }] },
        bearer(approved),
      );
      expect(batch.res?.results.map((r) => [r.name, r.reason, r.value])).toEqual([
        ["INTEROP_VALUE", "REASON_UNSPECIFIED", "interop-value-123"],
        ["INTEROP_MISSING", "REASON_ACCESS_PENDING", ""],
      ]);

      const refused = await call(client, "GetSecret", { name: "INTEROP_VALUE" }, bearer());
      expect([refused.err?.code, reasonOf(refused.err)]).toEqual([status.UNAUTHENTICATED, "token_missing"]);
    } finally {
      client.close();
    }
  });
});

describe("grpc.health.v1", () => {
  it("reports SERVING for the server and the secrets service, NOT_FOUND for an unknown service", async () => {
    const pkg = loadPackageDefinition(loadSync(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true }));
    const client = new (ctor(pkg, "grpc.health.v1.Health"))(t.address, credentials.createInsecure()) as Dyn;
    try {
      expect((await call<{ status: string }>(client, "Check", { service: "" })).res?.status).toBe("SERVING");
      expect((await call<{ status: string }>(client, "Check", { service: "keyward.secrets.v1.SecretsService" })).res?.status).toBe("SERVING");
      expect((await call(client, "Check", { service: "no.such.Service" })).err?.code).toBe(status.NOT_FOUND);
    } finally {
      client.close();
    }
  });
});

describe("grpc.health.v1 Watch", () => {
  it("streams SERVING, then NOT_SERVING and a clean end when the server shuts down (without waiting for the grace period)", async () => {
    const own = await startTestServer(await freshPglite(), { shutdownGraceMs: 120_000 });
    const pkg = loadPackageDefinition(loadSync(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true }));
    const client = new (ctor(pkg, "grpc.health.v1.Health"))(own.address, credentials.createInsecure());
    try {
      const watch = (service: string) => {
        const stream = (client as unknown as { Watch(req: unknown): NodeJS.ReadableStream }).Watch({ service });
        const seen: string[] = [];
        const first = new Promise<void>((resolve) => stream.on("data", (d: { status: string }) => (seen.push(d.status), resolve())));
        const ended = new Promise<number>((resolve) => stream.on("status", (s: { code: number }) => resolve(s.code)));
        return { seen, first, ended };
      };
      const secrets = watch("keyward.secrets.v1.SecretsService");
      const unknown = watch("no.such.Service");
      await secrets.first;
      await unknown.first;
      await own.close();
      expect(await secrets.ended).toBe(status.OK);
      expect(await unknown.ended).toBe(status.OK);
      expect(secrets.seen).toEqual(["SERVING", "NOT_SERVING"]);
      expect(unknown.seen).toEqual(["SERVICE_UNKNOWN", "SERVICE_UNKNOWN"]);
    } finally {
      client.close();
    }
  });
});

describe("server reflection (grpc.reflection.v1)", () => {
  it("lists the services and returns the descriptor of keyward.secrets.v1", async () => {
    const pkg = loadPackageDefinition(loadSync(REFLECTION_PROTO, { keepCase: true, defaults: true }));
    const client = new (ctor(pkg, "grpc.reflection.v1.ServerReflection"))(t.address, credentials.createInsecure());
    const ask = (request: Record<string, unknown>) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = (client as unknown as { ServerReflectionInfo(): NodeJS.ReadWriteStream & { end(): void } }).ServerReflectionInfo();
        stream.on("data", (d: Record<string, unknown>) => resolve(d));
        stream.on("error", reject);
        stream.write(request as never);
        stream.end();
      });
    try {
      const list = (await ask({ list_services: "" })) as { list_services_response: { service: { name: string }[] } };
      const names = list.list_services_response.service.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(["keyward.secrets.v1.SecretsService", "grpc.health.v1.Health"]));
      const file = (await ask({ file_containing_symbol: "keyward.secrets.v1.SecretsService" })) as { file_descriptor_response: { file_descriptor_proto: Buffer[] } };
      const descriptors = Buffer.concat(file.file_descriptor_response.file_descriptor_proto).toString("latin1");
      for (const rpc of ["GetSecret", "GetSecrets", "RegisterToken", "WatchSecrets"]) expect(descriptors).toContain(rpc);
    } finally {
      client.close();
    }
  });
});
