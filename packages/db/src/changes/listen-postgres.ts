import { randomBytes } from "node:crypto";
import pg from "pg";

export interface Listener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /**
   * Called once when the listening connection is lost (it dropped, or its heartbeat went unanswered):
   * notifications are being missed from then until `onReconnect`.
   */
  onLost?: () => void;
  /** Called after a lost listening connection is back: notifications sent meanwhile were missed, so caches should drop everything. */
  onReconnect?: () => void;
  /**
   * PostgreSQL only: the listening connection NOTIFYs itself this often and must hear the echo before
   * the next beat, so a connection that silently stopped passing traffic is found dead within
   * 2 × heartbeatMs. Connecting and LISTEN must also finish within 2 × heartbeatMs. Default 5000.
   */
  heartbeatMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 5_000;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

interface Connection {
  /** Ends the connection politely, or destroys its socket if it does not answer within a heartbeat. */
  stop(): Promise<void>;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed back and lose it), with TCP
 * keepalive and a heartbeat, reconnecting with backoff when the connection drops or stops
 * answering. The first connect fails loudly; later ones retry until close().
 */
export async function listenPostgres(databaseUrl: string, channel: string, onPayload: (payload: string) => void, options: ListenOptions = {}): Promise<Listener> {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) throw new RangeError(`heartbeatMs must be a positive number, got ${String(options.heartbeatMs)}`);
  // The heartbeat's own channel, so its echoes reach only this connection and no other replica.
  const echoChannel = `${channel}_hb_${randomBytes(8).toString("hex")}`;
  let current: Connection | undefined;
  let closed = false;
  let lost = false;
  let retry: NodeJS.Timeout | undefined;

  const lose = () => {
    current = undefined;
    if (closed) return;
    if (!lost) {
      lost = true;
      options.onLost?.();
    }
    schedule(FIRST_BACKOFF_MS);
  };

  const connect = async (): Promise<Connection> => {
    const client = new pg.Client({ connectionString: databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: heartbeatMs });
    // A blackholed socket never errors and never answers: destroying it is the only way out.
    const kill = () => client.connection.stream.destroy();
    let live = false;
    let dead = false;
    let beat: NodeJS.Timeout | undefined;
    let unanswered = false;
    const drop = () => {
      if (dead) return;
      dead = true;
      clearInterval(beat);
      kill();
      if (live) lose();
    };
    client.on("error", drop);
    client.on("end", drop);
    client.on("notification", (message) => {
      if (message.channel === echoChannel) unanswered = false;
      else if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    const deadline = setTimeout(kill, 2 * heartbeatMs);
    deadline.unref();
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}; listen ${pg.escapeIdentifier(echoChannel)}`);
    } catch (error) {
      drop();
      throw error;
    } finally {
      clearTimeout(deadline);
    }
    live = true;
    const send = () => {
      unanswered = true;
      client.query("select pg_notify($1, '')", [echoChannel]).catch(drop);
    };
    beat = setInterval(() => {
      if (!unanswered) return send();
      // After a stalled event loop the echo may be waiting unread: let pending I/O run, then judge.
      setImmediate(() => {
        if (unanswered) drop();
        else if (!dead) send();
      });
    }, heartbeatMs);
    beat.unref();
    return {
      async stop() {
        live = false;
        dead = true;
        clearInterval(beat);
        const timer = setTimeout(kill, heartbeatMs);
        timer.unref();
        await client.end().catch(() => undefined);
        clearTimeout(timer);
      },
    };
  };

  const schedule = (delayMs: number) => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      connect().then(
        async (connection) => {
          if (closed) return connection.stop();
          current = connection;
          lost = false;
          options.onReconnect?.();
        },
        () => {
          if (!closed) schedule(Math.min(delayMs * 2, MAX_BACKOFF_MS));
        },
      );
    }, delayMs);
    retry.unref();
  };

  current = await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const connection = current;
      current = undefined;
      await connection?.stop();
    },
  };
}
