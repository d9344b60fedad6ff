import pg from "pg";

export interface Listener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Called after a dropped listening connection is back: notifications sent meanwhile were missed, so caches should drop everything. */
  onReconnect?: () => void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * LISTEN on a dedicated connection (a pooled one would be handed back and lose it), reconnecting
 * with backoff when the connection drops. The first connect fails loudly; later ones retry.
 */
export async function listenPostgres(databaseUrl: string, channel: string, onPayload: (payload: string) => void, options: ListenOptions = {}): Promise<Listener> {
  let current: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    let dead = false;
    const drop = () => {
      if (dead) return;
      dead = true;
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      if (!closed) schedule(250);
    };
    client.on("error", drop);
    client.on("end", drop);
    client.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      dead = true;
      client.removeAllListeners("end");
      client.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await client.end();
      return;
    }
    current = client;
  };

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      connect().then(
        () => {
          if (!closed) options.onReconnect?.();
        },
        () => {
          if (!closed) schedule(Math.min(delayMs * 2, MAX_BACKOFF_MS));
        },
      );
    }, delayMs);
    timer.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const client = current;
      current = undefined;
      client?.removeAllListeners("end");
      await client?.end().catch(() => undefined);
    },
  };
}
