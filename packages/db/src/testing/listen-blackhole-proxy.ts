import net from "node:net";

export interface ListenBlackholeProxy {
  /** `targetUrl` with its host and port pointing at the proxy. */
  url: string;
  /** Listening connections seen so far (those that sent a LISTEN). */
  readonly listeners: number;
  /**
   * From now on, forwards nothing (either way) on every listening connection, without closing it,
   * as a NAT or firewall that forgot the connection would; a new connection is cut the same way as
   * soon as it sends its LISTEN. Other connections pass untouched.
   */
  blackhole(): void;
  /** New listening connections pass again; the ones already cut stay silent (as after a NAT timeout). */
  release(): void;
  close(): Promise<void>;
}

// pg sends `listen "<channel>"` as a simple Query message, in clear text on an unencrypted connection.
const LISTEN = Buffer.from('listen "');

/**
 * A TCP proxy (node:net) in front of a PostgreSQL for tests of lost change notifications: it tells
 * the LISTEN connection apart by its query and can silence it while every other query goes through.
 * Works on connections without TLS (the proxy must read the query).
 */
export async function startListenBlackholeProxy(targetUrl: string): Promise<ListenBlackholeProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const sockets = new Set<net.Socket>();
  let holing = false;
  let listeners = 0;

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, target.hostname);
    sockets.add(client).add(upstream);
    let listening = false;
    let cut = false;
    const isCut = () => (cut ||= listening && holing);
    client.on("data", (chunk: Buffer) => {
      if (!listening && chunk.includes(LISTEN)) {
        listening = true;
        listeners++;
      }
      if (!isCut()) upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!isCut()) client.write(chunk);
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // A cut connection ignores its peers entirely: a blackhole does not pass a close on either.
    client.on("close", () => (cut ? upstream.destroy() : closeBoth()));
    upstream.on("close", () => (cut ? undefined : closeBoth()));
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    get listeners() {
      return listeners;
    },
    blackhole: () => void (holing = true),
    release: () => void (holing = false),
    async close() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
