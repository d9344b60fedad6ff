// GetSecret load from a worker thread that keeps every call's start and end (issue #21's drop under
// load): the main thread does something mid-run and then asks which calls overlapped it. Times are
// absolute (performance.timeOrigin + now), so the two threads' clocks compare.
import { credentials } from "@grpc/grpc-js";
import { SecretsServiceClient, type GetSecretRequest } from "@keyward/proto";
import { bearerMetadata } from "./grpc-client.js";
import { runInWorker, serveJobs } from "./worker.js";

export interface TimelineJob {
  port: number;
  calls: { token: string; request: GetSecretRequest }[];
  concurrency: number;
  /** The longest the load runs. */
  durationMs: number;
  /** Set its first Int32 to 1 (Atomics.store) to end the load early: shared with the main thread. */
  stop?: SharedArrayBuffer;
}

/** Every call's start and end, in absolute milliseconds, in completion order; and failures. */
export interface Timeline {
  starts: number[];
  ends: number[];
  failed: number;
}

const JOB_TAG = "keyward-grpc-timeline-client";
const nowAbs = () => performance.timeOrigin + performance.now();

async function runTimeline(job: TimelineJob): Promise<Timeline> {
  const metadata = bearerMetadata(job.calls);
  const client = new SecretsServiceClient(`127.0.0.1:${job.port}`, credentials.createInsecure());
  const out: Timeline = { starts: [], ends: [], failed: 0 };
  let next = 0;
  const end = nowAbs() + job.durationMs;
  const stop = job.stop ? new Int32Array(job.stop) : undefined;
  const loop = async () => {
    while (nowAbs() < end && (!stop || Atomics.load(stop, 0) === 0)) {
      const c = job.calls[next++ % job.calls.length]!;
      const t0 = nowAbs();
      const ok = await new Promise<boolean>((resolve) => client.getSecret(c.request, metadata.get(c.token)!, (e) => resolve(!e)));
      if (!ok) out.failed++;
      out.starts.push(t0);
      out.ends.push(nowAbs());
    }
  };
  try {
    await Promise.all(Array.from({ length: job.concurrency }, loop));
  } finally {
    client.close();
  }
  return out;
}

serveJobs<TimelineJob, Timeline>(JOB_TAG, runTimeline);

/** Runs the load in its own thread; resolves when it ends. */
export const runTimelineInWorker = (job: TimelineJob): Promise<Timeline> => runInWorker<TimelineJob, Timeline>(import.meta.url, JOB_TAG, job);

/** A stop flag for TimelineJob.stop, and the function that sets it. */
export function timelineStop(): { buffer: SharedArrayBuffer; stop(): void } {
  const buffer = new SharedArrayBuffer(4);
  return { buffer, stop: () => Atomics.store(new Int32Array(buffer), 0, 1) };
}

/** The absolute time now, on the same clock as a Timeline's. */
export const timelineNow = nowAbs;
