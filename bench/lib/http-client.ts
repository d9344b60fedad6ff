import http from "node:http";

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpClient {
  request(method: string, path: string, body?: unknown): Promise<HttpResponse>;
  close(): void;
}

/**
 * The benchmarks' HTTP client: node:http over keep-alive connections, as a load generator (wrk,
 * autocannon) drives a server. It costs a fraction of the CPU of `fetch` (undici's WHATWG layer),
 * which matters when the client shares two cores with the server and PostgreSQL: driven by fetch,
 * the admin write benchmark measured the client as much as the server (bench/README.md).
 */
export function createHttpClient(base: string, headers: Record<string, string> = {}): HttpClient {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  return {
    request: (method, path, body) =>
      new Promise<HttpResponse>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
          { agent, host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(payload !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
