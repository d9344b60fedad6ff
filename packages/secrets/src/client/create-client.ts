import { credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { SecretsServiceClient, TokenStatus } from "@keyward/proto";
import { generateServiceToken } from "../token/service-token.js";
import { SecretsClientError, type SecretsClientReason } from "./errors.js";
import type { SecretName, SecretsSchemaDoc, SecretValue } from "./types.js";

export interface SecretsClientOptions {
  /** host:port of the service's gRPC API; default KEYWARD_URL, else 127.0.0.1:50051. */
  url?: string;
  /** The service token; default KEYWARD_TOKEN, else the token file. */
  token?: string;
  /** Where the token lives (created 0600 on first use); default KEYWARD_TOKEN_FILE or .keyward/service-token. */
  tokenFile?: string;
  serviceName: string;
  serviceVersion?: string;
  /** Per-call deadline in milliseconds (default 5000). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export type RegistrationStatus = "pending" | "approved" | "revoked";

export interface SecretsClient<S extends SecretsSchemaDoc> {
  getSecret<K extends SecretName<S>>(name: K): Promise<SecretValue<S, K>>;
  /** Registers the token with the service; an admin must approve a pending one. */
  register(): Promise<RegistrationStatus>;
  close(): void;
}

const registrationStatus: Partial<Record<TokenStatus, RegistrationStatus>> = {
  [TokenStatus.TOKEN_STATUS_PENDING]: "pending",
  [TokenStatus.TOKEN_STATUS_APPROVED]: "approved",
  [TokenStatus.TOKEN_STATUS_REVOKED]: "revoked",
};

function toClientError(name: string | undefined, err: ServiceError): SecretsClientError {
  const trailer = err.metadata?.get("keyward-reason")[0];
  const reason = (typeof trailer === "string" ? trailer : err.code === status.UNAVAILABLE ? "unavailable" : "internal") as SecretsClientReason;
  return new SecretsClientError(name, reason, name ? `cannot fetch secret ${name}: ${err.details || reason}` : `keyward: ${err.details || reason}`, err.code);
}

/** A typed client: `getSecret` accepts only names the schema declares. */
export function createSecretsClient<const S extends SecretsSchemaDoc>(schema: S, options: SecretsClientOptions): SecretsClient<S> {
  const env = options.env ?? process.env;
  const url = options.url ?? env.KEYWARD_URL ?? "127.0.0.1:50051";
  const token = options.token ?? env.KEYWARD_TOKEN ?? generateServiceToken({ file: options.tokenFile ?? env.KEYWARD_TOKEN_FILE }).token;
  const grpc = new SecretsServiceClient(url, credentials.createInsecure());
  const timeoutMs = options.timeoutMs ?? 5000;
  const metadata = () => {
    const md = new Metadata();
    md.set("authorization", `Bearer ${token}`);
    return md;
  };
  const deadline = () => ({ deadline: new Date(Date.now() + timeoutMs) });

  return {
    getSecret(name) {
      const declared = schema.properties[name];
      if (!declared) return Promise.reject(new SecretsClientError(name, "invalid_name", `secret ${name} is not declared in the schema`));
      const optional = declared["x-keyward"]?.optional === true;
      return new Promise((resolve, reject) => {
        grpc.getSecret({ name, description: declared.description }, metadata(), deadline(), (err, res) => {
          if (!err) return resolve(res.value as SecretValue<S, typeof name>);
          const clientError = toClientError(name, err);
          if (optional && (clientError.reason === "secret_missing" || clientError.reason === "secret_no_value")) return resolve(undefined as SecretValue<S, typeof name>);
          reject(clientError);
        });
      });
    },
    register() {
      return new Promise((resolve, reject) => {
        grpc.registerToken({ serviceName: options.serviceName, serviceVersion: options.serviceVersion ?? "" }, metadata(), deadline(), (err, res) => {
          if (err) return reject(toClientError(undefined, err));
          const s = registrationStatus[res.status];
          return s ? resolve(s) : reject(new SecretsClientError(undefined, "internal", "the service answered with an unknown token status"));
        });
      });
    },
    close() {
      grpc.close();
    },
  };
}
