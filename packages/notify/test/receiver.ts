import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  key: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP receiver that honours `Idempotency-Key`: a key it has seen is answered 200 again but
 * not counted as a new delivery. `respond` decides each answer (status, or a promise to hold it).
 */
export async function startReceiver(respond: (r: Received, n: number) => number | Promise<number> = () => 200) {
  const all: Received[] = [];
  const unique = new Map<string, Received>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", async () => {
      const r: Received = { key: req.headers["idempotency-key"] as string | undefined, headers: req.headers, body };
      all.push(r);
      const status = await respond(r, all.length);
      if (status < 300 && r.key && !unique.has(r.key)) unique.set(r.key, r);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    all,
    unique,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
