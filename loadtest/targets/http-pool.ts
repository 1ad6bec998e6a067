import { Client } from 'undici';
import { UserInputError } from '../../lib/errors';

/**
 * Keep-alive connections to one HTTP server, one undici Client (one socket) per worker slot.
 * A closed-loop worker has one request in flight, so giving it its own connection skips the
 * pool's search for a free client and its queue on every request; with more workers than
 * `maxSockets`, slots are shared and requests queue on them as they would in a pool.
 */
export class ConnectionSet {
  private readonly clients: (Client | undefined)[];

  constructor(
    public readonly origin: string,
    public readonly size: number,
  ) {
    this.clients = new Array<Client | undefined>(size).fill(undefined);
  }

  forWorker(worker: number): Client {
    const slot = worker % this.size;
    let client = this.clients[slot];
    if (client === undefined) {
      client = new Client(this.origin, {
        pipelining: 1,
        keepAliveTimeout: 60_000,
        // The per-request deadline governs; undici's own idle timers would cut long generations.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.clients[slot] = client;
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client?.close()));
  }
}

/** Connections to a server URL; `basePath` is the URL's path prefix without trailing slash ('' for none). */
export interface HttpConnections {
  readonly connections: ConnectionSet;
  readonly basePath: string;
}

export function createHttpConnections(url: string, maxSockets: number, field = '--target'): HttpConnections {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserInputError(field, `'${url}' is not a URL; expected e.g. http://127.0.0.1:8080`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserInputError(field, `'${url}' must be an http:// or https:// URL`);
  }
  return { connections: new ConnectionSet(parsed.origin, Math.max(1, maxSockets)), basePath: parsed.pathname.replace(/\/+$/, '') };
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' } as const;
export const SSE_HEADERS = { 'content-type': 'application/json', accept: 'text/event-stream' } as const;
