import { connect, type Socket } from 'node:net';

/** The raw-header hooks of undici's dispatch handler that ExchangeClient implements. */
export interface RawHandler {
  onConnect(abort: (error?: Error) => void): void;
  onHeaders(statusCode: number): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(error: Error): void;
}

export interface LeanRequest {
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
type BodyMode = 'length' | 'chunked' | 'until-close';
/**
 * A connection idle longer than this is not reused: servers close idle keep-alive connections
 * (Node's default after 5 s) and a request written as they do would fail. A `Keep-Alive: timeout=N`
 * answer header sets it to N s less a margin.
 */
const DEFAULT_IDLE_REUSE_MS = 4_000;
const IDLE_MARGIN_MS = 1_000;

function socketClosedError(): Error {
  return Object.assign(new Error('other side closed the connection'), { code: 'UND_ERR_SOCKET' });
}

/**
 * A minimal HTTP/1.1 keep-alive client on one plain TCP socket, for the load generator's hot path
 * over http:// (autocannon's approach): the request bytes are built once per body and written in one
 * call; the response parser handles Content-Length, chunked and read-until-close bodies. One request
 * at a time per connection; requests queue when several workers share it.
 */
export class LeanHttpClient {
  private socket: Socket | undefined;
  private readonly queue: { bytes: Buffer; handler: RawHandler }[] = [];
  private current: RawHandler | undefined;
  private lastBody: Buffer | undefined;
  private lastPath = '';
  private lastBytes: Buffer = Buffer.alloc(0);
  // Response parser state.
  private head: Buffer | undefined;
  private inBody = false;
  private mode: BodyMode = 'length';
  private remaining = 0;
  private chunkState: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private partial: Buffer | undefined;
  private closeAfter = false;
  private idleSinceMs = 0;
  private idleReuseMs = DEFAULT_IDLE_REUSE_MS;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Host header value (host:port as in the URL). */
    private readonly hostHeader: string,
  ) {}

  dispatch(request: LeanRequest, handler: RawHandler): boolean {
    this.queue.push({ bytes: this.requestBytes(request), handler });
    this.pump();
    return true;
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private requestBytes(request: LeanRequest): Buffer {
    if (request.body === this.lastBody && request.path === this.lastPath) return this.lastBytes;
    let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\nconnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(request.headers)) head += `${name}: ${value}\r\n`;
    head += `content-length: ${request.body.length}\r\n\r\n`;
    this.lastBytes = Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
    this.lastBody = request.body;
    this.lastPath = request.path;
    return this.lastBytes;
  }

  private pump(): void {
    if (this.current !== undefined || this.queue.length === 0) return;
    const next = this.queue.shift() as { bytes: Buffer; handler: RawHandler };
    this.current = next.handler;
    this.head = undefined;
    this.inBody = false;
    this.partial = undefined;
    this.closeAfter = false;
    if (this.socket !== undefined && performance.now() - this.idleSinceMs > this.idleReuseMs) {
      this.socket.destroy();
      this.socket = undefined;
    }
    const socket = this.socket ?? this.open();
    next.handler.onConnect(this.abort);
    if (this.current === next.handler) socket.write(next.bytes);
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onBytes(chunk);
    });
    socket.on('error', (error) => {
      if (this.socket === socket) this.fail(error);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      if (this.current !== undefined && this.inBody && this.mode === 'until-close') this.complete();
      else this.fail(socketClosedError());
    });
    this.socket = socket;
    return socket;
  }

  /** Abort of the request in progress (deadline or caller): the connection is dropped. */
  private readonly abort = (error?: Error): void => {
    this.fail(error ?? new Error('aborted'));
  };

  private fail(error: Error): void {
    const handler = this.current;
    this.current = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    handler?.onError(error);
    this.pump();
  }

  private complete(): void {
    const handler = this.current as RawHandler;
    this.current = undefined;
    this.idleSinceMs = performance.now();
    if (this.closeAfter) {
      this.socket?.destroy();
      this.socket = undefined;
    }
    handler.onComplete();
    this.pump();
  }

  private onBytes(chunk: Buffer): void {
    if (this.current === undefined) return; // bytes after a response we did not ask for
    let data = chunk;
    if (!this.inBody) {
      const buffered = this.head === undefined ? data : Buffer.concat([this.head, data]);
      const end = buffered.indexOf(HEAD_END);
      if (end === -1) {
        this.head = buffered;
        return;
      }
      this.head = undefined;
      if (!this.parseHead(buffered.toString('latin1', 0, end))) {
        this.onBytes(buffered.subarray(end + 4)); // a 1xx interim answer: the real head follows
        return;
      }
      data = buffered.subarray(end + 4);
      if (this.current === undefined) return;
    }
    if (this.mode === 'chunked') this.onChunked(data);
    else if (this.mode === 'length') {
      const take = Math.min(this.remaining, data.length);
      if (take > 0) this.current.onData(take === data.length ? data : data.subarray(0, take));
      this.remaining -= take;
      if (this.remaining === 0 && this.current !== undefined) this.complete();
    } else if (data.length > 0) this.current.onData(data);
  }

  /** Parses status line and headers; false for a 1xx interim response. */
  private parseHead(head: string): boolean {
    const lines = head.split('\r\n');
    const status = Number(lines[0].slice(9, 12));
    if (status >= 100 && status < 200) return false;
    let length: number | undefined;
    let chunked = false;
    // HTTP/1.0 closes after each answer unless it says keep-alive.
    this.closeAfter = lines[0].startsWith('HTTP/1.0');
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') this.closeAfter = value === 'close' || (this.closeAfter && value !== 'keep-alive');
      else if (name === 'keep-alive') {
        const timeoutS = Number(/timeout=(\d+)/.exec(value)?.[1]);
        if (timeoutS > 0) this.idleReuseMs = Math.max(0, timeoutS * 1000 - IDLE_MARGIN_MS);
      }
    }
    this.inBody = true;
    this.mode = chunked ? 'chunked' : length !== undefined || status === 204 || status === 304 ? 'length' : 'until-close';
    this.remaining = chunked ? 0 : (length ?? 0);
    this.chunkState = 'size';
    (this.current as RawHandler).onHeaders(status);
    if (this.mode === 'length' && this.remaining === 0 && this.current !== undefined) this.complete();
    return true;
  }

  private onChunked(input: Buffer): void {
    let data = this.partial === undefined ? input : Buffer.concat([this.partial, input]);
    this.partial = undefined;
    while (this.current !== undefined && data.length > 0) {
      if (this.chunkState === 'data') {
        const take = Math.min(this.remaining, data.length);
        this.current.onData(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.chunkState = 'data-end';
        continue;
      }
      const eol = data.indexOf(CRLF);
      if (eol === -1) {
        this.partial = data;
        return;
      }
      const line = data.toString('latin1', 0, eol);
      data = data.subarray(eol + 2);
      if (this.chunkState === 'data-end') this.chunkState = 'size';
      else if (this.chunkState === 'size') {
        this.remaining = parseInt(line, 16);
        if (Number.isNaN(this.remaining)) return this.fail(new SyntaxError(`bad chunk size line '${line.slice(0, 40)}'`));
        this.chunkState = this.remaining === 0 ? 'trailer' : 'data';
      } else if (line === '') return this.complete(); // end of trailers
    }
  }
}
