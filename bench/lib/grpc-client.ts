// The load-generating gRPC client, run in a worker_threads Worker so the server under test has the
// main thread to itself (as with clients in other processes). A job names one kind of call and the
// calls to cycle through, each with its own token: one call repeated, or reads spread over many
// tokens and secrets.
import { credentials, Metadata } from "@grpc/grpc-js";
import { Reason, SecretsServiceClient, type GetSecretRequest, type GetSecretResponse, type GetSecretsRequest, type GetSecretsResponse } from "@keyward/proto";
import { measure, type Measurement, type MeasureOptions } from "./measure.js";
import { runInWorker, serveJobs } from "./worker.js";

/** What the worker measures: calls of one kind against one server port, taken in turn from `calls`. */
export type LoadJob = { name: string; port: number; options: MeasureOptions } & (
  | { kind: "getSecret"; calls: { token: string; request: GetSecretRequest }[] }
  | { kind: "getSecrets"; calls: { token: string; request: GetSecretsRequest }[] }
);

const JOB_TAG = "keyward-grpc-bench-client";

/** One Metadata per token, built before the clock starts. */
export function bearerMetadata(calls: readonly { token: string }[]): Map<string, Metadata> {
  const metadata = new Map<string, Metadata>();
  for (const { token } of calls) {
    if (metadata.has(token)) continue;
    const md = new Metadata();
    md.set("authorization", `Bearer ${token}`);
    metadata.set(token, md);
  }
  return metadata;
}

/** Runs in the worker: builds its own client, measures, posts the Measurement back. */
async function runLoadJob(job: LoadJob): Promise<Measurement> {
  const metadata = bearerMetadata(job.calls);
  const client = new SecretsServiceClient(`127.0.0.1:${job.port}`, credentials.createInsecure());
  let next = 0;
  try {
    switch (job.kind) {
      case "getSecret": {
        const calls = job.calls;
        const call = () => {
          const c = calls[next++ % calls.length]!;
          return new Promise<GetSecretResponse>((resolve, reject) => client.getSecret(c.request, metadata.get(c.token)!, (e, r) => (e ? reject(e) : resolve(r))));
        };
        return await measure(job.name, call, job.options);
      }
      case "getSecrets": {
        const calls = job.calls;
        const call = () => {
          const c = calls[next++ % calls.length]!;
          return new Promise<GetSecretsResponse>((resolve, reject) =>
            client.getSecrets(c.request, metadata.get(c.token)!, (e, r) => (e ? reject(e) : r.results.every((x) => x.reason === Reason.REASON_UNSPECIFIED) ? resolve(r) : reject(new Error("a batch result was refused")))),
          );
        };
        return await measure(job.name, call, job.options);
      }
    }
  } finally {
    client.close();
  }
}

serveJobs<LoadJob, Measurement>(JOB_TAG, runLoadJob);

/** Measures `job` from a client in its own thread (this file, run as a Worker). */
export const measureInWorker = (job: LoadJob): Promise<Measurement> => runInWorker<LoadJob, Measurement>(import.meta.url, JOB_TAG, job);
