import { setLogger } from "@grpc/grpc-js";
import { redactText, type Logger } from "@keyward/common";

// grpc-js writes its own errors (a bind that failed, a request header it refused) to the console,
// and the header line quotes the refused value: an authorization header with one stray byte (a
// pasted non-breaking space) would print the token. Its lines go to the service's logger instead,
// with that value withheld and tokens censored as in every other line.
const METADATA_ENTRY = /Failed to add metadata entry ([^:\s]{0,100})[^:]*:[\s\S]*$/;

/** A grpc-js log line fit for the log: a refused metadata value withheld, tokens and URL credentials censored. */
export function redactGrpcJsLine(line: string): string {
  const entry = METADATA_ENTRY.exec(line);
  if (entry) {
    const cause = /contains illegal characters/.test(entry[0]) ? "illegal characters" : "refused";
    return `${line.slice(0, entry.index)}Failed to add metadata entry ${entry[1]} (value withheld): ${cause}`;
  }
  return redactText(line);
}

type Level = "warn" | "info" | "debug";
// The grpc-js logger is one per process; the newest running server's logger gets its lines.
const loggers: Logger[] = [];
const emit = (level: Level) => (...args: unknown[]) => {
  const line = redactGrpcJsLine(args.map(String).join(" "));
  const logger = loggers.at(-1);
  // A failed bind is thrown to the caller too, which names the address and its setting.
  if (logger) logger[line.startsWith("No address added") ? "debug" : level]({ component: "grpc-js" }, line);
  else console.error(line);
};
let installed = false;

/** Sends grpc-js's log lines to `logger` (errors as warnings) until the returned function is called. */
export function routeGrpcJsLogs(logger: Logger): () => void {
  if (!installed) {
    setLogger({ error: emit("warn"), info: emit("info"), debug: emit("debug") });
    installed = true;
  }
  loggers.push(logger);
  return () => {
    const i = loggers.lastIndexOf(logger);
    if (i >= 0) loggers.splice(i, 1);
  };
}
