/** Milliseconds since the epoch; injected so tests can move time for the cache and the breaker. */
export interface ClientClock {
  now(): number;
}

export const systemClientClock: ClientClock = { now: () => Date.now() };
