import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { LeanHttpClient, type RawHandler } from '../../loadtest/targets/lean-http';

/** A raw TCP server answering each request (one per connection read) with the given bytes, cut into pieces. */
async function rawServer(answer: (index: number) => { pieces: string[]; close?: boolean }): Promise<{ port: number; requests: string[]; connections: number; server: Server }> {
  const state = { requests: [] as string[], connections: 0 };
  const server = createServer((socket: Socket) => {
    state.connections += 1;
    let buffered = '';
    socket.on('data', async (chunk) => {
      buffered += chunk.toString('latin1');
      const headEnd = buffered.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? 0);
      if (headEnd === -1 || buffered.length < headEnd + 4 + length) return;
      state.requests.push(buffered);
      buffered = '';
      const { pieces, close } = answer(state.requests.length - 1);
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (close) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, { port, server });
}

function send(client: LeanHttpClient, body = '{"x":1}'): Promise<{ status?: number; body: string; error?: Error }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    const chunks: Buffer[] = [];
    const handler: RawHandler = {
      onConnect: () => undefined,
      onHeaders: (s) => ((status = s), true),
      onData: (c) => (chunks.push(Buffer.from(c)), true),
      onComplete: () => resolve({ status, body: Buffer.concat(chunks).toString() }),
      onError: (error) => resolve({ status, body: Buffer.concat(chunks).toString(), error }),
    };
    client.dispatch({ path: '/generate', method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) }, handler);
  });
}

describe('LeanHttpClient (HTTP/1.1 on one keep-alive socket)', () => {
  it('reads Content-Length bodies split anywhere and reuses the connection', async () => {
    const srv = await rawServer(() => ({ pieces: ['HTTP/1.1 200 OK\r\nContent-Le', 'ngth: 5\r\n\r', '\nhel', 'lo'] }));
    const client = new LeanHttpClient('127.0.0.1', srv.port, `127.0.0.1:${srv.port}`);
    try {
      expect(await send(client)).toEqual({ status: 200, body: 'hello' });
      expect(await send(client)).toEqual({ status: 200, body: 'hello' });
      expect(srv.connections).toBe(1);
      expect(srv.requests[0]).toMatch(/^POST \/generate HTTP\/1.1\r\nhost: 127.0.0.1:\d+\r\n/);
      expect(srv.requests[0]).toMatch(/content-length: 7\r\n\r\n\{"x":1\}$/);
    } finally {
      await client.close();
      srv.server.close();
    }
  });

  it('decodes chunked bodies with size lines and CRLFs cut across reads, after a 100 Continue', async () => {
    const srv = await rawServer(() => ({
      pieces: ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '5\r', '\nhel', 'lo\r\n', '9\r\n, world!!\r\n0', '\r\n\r\n'],
    }));
    const client = new LeanHttpClient('127.0.0.1', srv.port, 'x');
    try {
      expect(await send(client)).toEqual({ status: 200, body: 'hello, world!!' });
    } finally {
      await client.close();
      srv.server.close();
    }
  });

  it('reads a body without length until the server closes, then reconnects', async () => {
    const srv = await rawServer(() => ({ pieces: ['HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil', ' close'], close: true }));
    const client = new LeanHttpClient('127.0.0.1', srv.port, 'x');
    try {
      expect(await send(client)).toEqual({ status: 200, body: 'until close' });
      expect(await send(client)).toEqual({ status: 200, body: 'until close' });
      expect(srv.connections).toBe(2);
    } finally {
      await client.close();
      srv.server.close();
    }
  });

  it('reports a connection closed mid-body as a socket error, and a bad chunk size as a SyntaxError', async () => {
    const srv = await rawServer((i) =>
      i === 0 ? { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort'], close: true } : { pieces: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'] },
    );
    const client = new LeanHttpClient('127.0.0.1', srv.port, 'x');
    try {
      const cut = await send(client);
      expect(cut.error).toMatchObject({ code: 'UND_ERR_SOCKET' });
      const bad = await send(client);
      expect(bad.error).toBeInstanceOf(SyntaxError);
    } finally {
      await client.close();
      srv.server.close();
    }
  });

  it.each([
    ['a Keep-Alive timeout shorter than the idle gap', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok'],
    ['an HTTP/1.0 answer without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'],
  ])('opens a new connection after %s', async (_case, answer) => {
    const srv = await rawServer(() => ({ pieces: [answer] }));
    const client = new LeanHttpClient('127.0.0.1', srv.port, 'x');
    try {
      expect(await send(client)).toEqual({ status: 200, body: 'ok' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await send(client)).toEqual({ status: 200, body: 'ok' });
      expect(srv.connections).toBe(2);
    } finally {
      await client.close();
      srv.server.close();
    }
  });

  it('queues requests of workers sharing one connection', async () => {
    const srv = await rawServer((i) => ({ pieces: [`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${i}`] }));
    const client = new LeanHttpClient('127.0.0.1', srv.port, 'x');
    try {
      const answers = await Promise.all([send(client), send(client), send(client)]);
      expect(answers.map((a) => a.body)).toEqual(['0', '1', '2']);
    } finally {
      await client.close();
      srv.server.close();
    }
  });
});
