import { Client, type Dispatcher } from 'undici';
import { UserInputError } from '../../lib/errors';
import { LeanHttpClient, type LeanRequest, type RawHandler } from './lean-http';

/** Which HTTP/1.1 client carries requests: the lean one (http:// only) or undici. */
export type HttpClientKind = 'lean' | 'undici';

/** One keep-alive connection (a worker slot). */
export interface Connection {
  dispatch(request: LeanRequest, handler: RawHandler & Dispatcher.DispatchHandler): boolean;
  close(): Promise<void>;
}

/**
 * Keep-alive connections to one HTTP server, one client (one socket) per worker slot.
 * A closed-loop worker has one request in flight, so giving it its own connection skips the
 * pool's search for a free client and its queue on every request; with more workers than
 * `maxSockets`, slots are shared and requests queue on them as they would in a pool.
 */
export class ConnectionSet {
  private readonly clients: (Connection | undefined)[];
  private readonly url: URL;

  constructor(
    public readonly origin: string,
    public readonly size: number,
    public readonly kind: HttpClientKind = 'lean',
  ) {
    this.clients = new Array<Connection | undefined>(size).fill(undefined);
    this.url = new URL(origin);
  }

  forWorker(worker: number): Connection {
    const slot = worker % this.size;
    let client = this.clients[slot];
    if (client === undefined) {
      client = this.kind === 'lean' ? new LeanHttpClient(this.url.hostname.replace(/^\[|\]$/g, ''), Number(this.url.port || 80), this.url.host) : this.undiciClient();
      this.clients[slot] = client;
    }
    return client;
  }

  private undiciClient(): Connection {
    return new Client(this.origin, {
        pipelining: 1,
        keepAliveTimeout: 60_000,
        // The per-request deadline governs; undici's own idle timers would cut long generations.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
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

/**
 * Connections for a server URL: the lean client for http:// (the default; it costs the least CPU
 * per request), undici for https:// or when asked.
 */
export function createHttpConnections(url: string, maxSockets: number, kind: HttpClientKind = 'lean', field = 'target'): HttpConnections {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserInputError(field, `'${url}' is not a URL; expected e.g. http://127.0.0.1:8080`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserInputError(field, `'${url}' must be an http:// or https:// URL`);
  }
  const effective: HttpClientKind = parsed.protocol === 'https:' ? 'undici' : kind;
  return { connections: new ConnectionSet(parsed.origin, Math.max(1, maxSockets), effective), basePath: parsed.pathname.replace(/\/+$/, '') };
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' } as const;
export const SSE_HEADERS = { 'content-type': 'application/json', accept: 'text/event-stream' } as const;
