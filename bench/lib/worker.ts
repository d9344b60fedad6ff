// Load-generating clients run in a worker_threads Worker, so the server under test has the main
// thread to itself (as with clients in other processes). A module that serves jobs calls
// `serveJobs(tag, run)` at its top level; the main thread calls `runInWorker(moduleUrl, tag, job)`.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** In a worker started for `tag`: runs the job it was given and posts the result (or the error) back. */
export function serveJobs<J, R>(tag: string, run: (job: J) => Promise<R>): void {
  if (isMainThread || (workerData as { tag?: string } | null)?.tag !== tag) return;
  run((workerData as { job: J }).job).then(
    (result) => parentPort!.postMessage({ result }),
    (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}

/** Runs `job` in a fresh worker that loads `moduleUrl` (which must call serveJobs with the same tag). */
export function runInWorker<J, R>(moduleUrl: string, tag: string, job: J): Promise<R> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader hooks: register them, then load the module.
    const code = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); })`;
    const worker = new Worker(code, { eval: true, workerData: { tag, job } });
    worker.once("message", (m: { result: R } | { error: string }) => {
      void worker.terminate();
      if ("error" in m) reject(new Error(`bench client: ${m.error}`));
      else resolve(m.result);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`bench client worker exited (code ${code}) before reporting`)));
  });
}
