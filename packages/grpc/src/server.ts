import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { SecretsServiceService } from "@keyward/proto";
import type { GrpcDeps } from "./deps.js";
import { getSecretHandler } from "./handlers/get-secret.js";
import { registerTokenHandler } from "./handlers/register-token.js";
import { grpcError } from "./status.js";

type Handler<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => Promise<void>;

/** An unexpected failure becomes INTERNAL with a generic message; details go to the log only. */
function guarded<Req, Res>(deps: GrpcDeps, name: string, handler: Handler<Req, Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    handler(call, callback).catch((error: unknown) => {
      deps.logger.error({ rpc: name, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "rpc failed");
      callback(grpcError(status.INTERNAL, "internal", "internal error"));
    });
  };
}

export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

export function createGrpcServer(deps: GrpcDeps): Server {
  const server = new Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES });
  server.addService(SecretsServiceService, {
    getSecret: guarded(deps, "GetSecret", getSecretHandler(deps)),
    registerToken: guarded(deps, "RegisterToken", registerTokenHandler(deps)),
  });
  return server;
}

/** Binds on host:port (0 picks a free port) and returns the bound port and a graceful close. */
export async function startGrpcServer(deps: GrpcDeps, options: { host: string; port: number }): Promise<RunningGrpcServer> {
  const server = createGrpcServer(deps);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Drain calls in flight, then force after a grace period.
        const timer = setTimeout(() => server.forceShutdown(), 5000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
