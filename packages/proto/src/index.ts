import path from "node:path";
import { fileURLToPath } from "node:url";

export * from "./gen/keyward/secrets/v1/secrets.js";

/** The shipped .proto, for clients in any language or for @grpc/proto-loader. */
export const protoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../proto");
export const secretsProtoPath = path.join(protoRoot, "keyward/secrets/v1/secrets.proto");
export * from "./secret-types.js";
