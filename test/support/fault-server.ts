import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with one request. */
export type FaultMode = 'ok' | '429' | '500' | 'hang' | 'reset' | 'garbage' | 'truncated' | 'too-long' | 'overloaded-body';

export interface FaultServerOptions {
  /** Modes cycled by arrival order (request i gets modes[i % length]). @default ['ok'] */
  readonly modes?: readonly FaultMode[];
  /** Delay before answering (non-streamed) or between stream events, ms. @default 0 */
  readonly delayMs?: number;
  /** Tokens streamed per SSE write (to test events split across reads). @default 1 */
  readonly eventsPerWrite?: number;
  /** Prompt tokens reported back in details.prefill (TGI) / usage.prompt_tokens (OpenAI). */
  readonly promptTokens?: number;
  /** Requests in progress beyond this many are refused with 429 "Model is overloaded" (TGI MAX_CONCURRENT_REQUESTS). */
  readonly maxConcurrentRequests?: number;
}

export interface FaultServer {
  readonly url: string;
  /** Requests received, by route. */
  readonly received: Record<string, number>;
  /** Modes served, by mode. */
  readonly served: Partial<Record<FaultMode, number>>;
  /** Highest number of requests in progress at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

interface Exchange {
  readonly maxNewTokens: number;
  readonly route: string;
  readonly stream: boolean;
  readonly openai: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseExchange(url: string, body: string): Exchange {
  const parsed = JSON.parse(body) as { parameters?: { max_new_tokens?: number }; max_tokens?: number; stream?: boolean };
  const openai = url.endsWith('/v1/completions');
  return {
    route: url,
    openai,
    stream: openai ? parsed.stream === true : url.endsWith('/generate_stream'),
    maxNewTokens: (openai ? parsed.max_tokens : parsed.parameters?.max_new_tokens) ?? 16,
  };
}

function tokenEvent(i: number, ex: Exchange): string {
  return ex.openai
    ? `data: {"choices":[{"index":0,"text":" t${i}","finish_reason":null}]}\n\n`
    : `data:{"index":${i + 1},"token":{"id":${1000 + i},"text":" t${i}","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n`;
}

function finalEvents(ex: Exchange, promptTokens: number): string {
  if (ex.openai) {
    return `data: {"choices":[],"usage":{"prompt_tokens":${promptTokens},"completion_tokens":${ex.maxNewTokens}}}\n\ndata: [DONE]\n\n`;
  }
  return `data:{"index":${ex.maxNewTokens + 1},"token":{"id":2,"text":"","logprob":0,"special":true},"generated_text":"done","details":{"finish_reason":"length","generated_tokens":${ex.maxNewTokens},"seed":null}}\n\n`;
}

function okBody(ex: Exchange, promptTokens: number): string {
  if (ex.openai) {
    return JSON.stringify({ choices: [{ text: 'done', finish_reason: 'length' }], usage: { prompt_tokens: promptTokens, completion_tokens: ex.maxNewTokens } });
  }
  const prefill = Array.from({ length: promptTokens }, (_, i) => ({ id: i, text: 'x' }));
  return JSON.stringify([{ generated_text: 'done', details: { finish_reason: 'length', generated_tokens: ex.maxNewTokens, prefill } }]);
}

async function streamOk(res: ServerResponse, ex: Exchange, opts: FaultServerOptions, truncate: boolean): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const perWrite = opts.eventsPerWrite ?? 1;
  const tokens = truncate ? Math.max(1, Math.floor(ex.maxNewTokens / 2)) : ex.maxNewTokens;
  let batch = '';
  for (let i = 0; i < tokens; i++) {
    batch += tokenEvent(i, ex);
    if ((i + 1) % perWrite === 0) {
      res.write(batch);
      batch = '';
      if (opts.delayMs) await sleep(opts.delayMs);
    }
  }
  if (truncate) {
    res.end(batch);
    return;
  }
  const final = batch + finalEvents(ex, opts.promptTokens ?? 0);
  // Split the final event mid-line across two writes: the client must buffer partial lines.
  const cut = Math.floor(final.length / 2);
  res.write(final.slice(0, cut));
  res.end(final.slice(cut));
}

/**
 * A TGI-protocol (and OpenAI /v1/completions) server on loopback that injects faults:
 * 429, 500, hangs past any deadline, connection resets, garbage JSON, truncated streams,
 * and 422 "input too long" answers.
 */
export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const modes = opts.modes ?? ['ok'];
  const received: Record<string, number> = {};
  const served: Partial<Record<FaultMode, number>> = {};
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let arrivals = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const ex = parseExchange(req.url ?? '', body);
    received[ex.route] = (received[ex.route] ?? 0) + 1;
    const refuse = opts.maxConcurrentRequests !== undefined && inFlight > opts.maxConcurrentRequests;
    const mode = refuse ? '429' : modes[arrivals++ % modes.length];
    served[mode] = (served[mode] ?? 0) + 1;
    if (!ex.stream && opts.delayMs) await sleep(opts.delayMs);
    switch (mode) {
      case 'ok':
        if (ex.stream) return streamOk(res, ex, opts, false);
        res.writeHead(200, { 'content-type': 'application/json' }).end(okBody(ex, opts.promptTokens ?? 0));
        return;
      case '429':
        res.writeHead(429, { 'content-type': 'application/json' }).end('{"error":"Model is overloaded","error_type":"overloaded"}');
        return;
      case 'overloaded-body':
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"Model is overloaded"}');
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"CUDA out of memory","error_type":"generation"}');
        return;
      case 'too-long':
        res
          .writeHead(422, { 'content-type': 'application/json' })
          .end('{"error":"Input validation error: `inputs` must have less than 4096 tokens. Given: 5000","error_type":"validation"}');
        return;
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'garbage':
        if (ex.stream) res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data:{"token": not json\n\n');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('[{"generated_text": "x", "det');
        return;
      case 'truncated':
        if (ex.stream) return streamOk(res, ex, opts, true);
        res.writeHead(200, { 'content-type': 'application/json' }).end('[{"generated_text":');
        return;
    }
  }

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      handle(req, res, body).catch(() => req.socket.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    served,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
