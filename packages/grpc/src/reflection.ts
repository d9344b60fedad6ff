import type { Server } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { protoRoot, secretsProtoPath } from "@keyward/proto";
import { protoPath as healthProtoPath } from "grpc-health-check";

/** gRPC server reflection (v1 and v1alpha) over the shipped .proto files, so grpcurl & co. can explore. */
export function addReflectionService(server: Server): void {
  const definition = loadSync([secretsProtoPath, healthProtoPath], { includeDirs: [protoRoot] });
  new ReflectionService(definition).addToServer(server);
}
