import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import type { ErrorKind } from '../../lib/results/records';
import { type FaultMode, startFaultServer } from '../support/fault-server';
import { generationRequest, NO_ABORT } from '../support/requests';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each([
  [false, 'lean'],
  [true, 'lean'],
  [false, 'undici'],
  [true, 'undici'],
] as const)('TGI target (stream=%s, %s HTTP client)', (stream, httpClient) => {
  it('records server-reported tokens on success', async () => {
    const server = await startFaultServer({ promptTokens: 5, eventsPerWrite: 3 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 2, httpClient, stream });
    try {
      const record = await target.generate(generationRequest({ maxNewTokens: 7, worker: 1, seq: 4 }), NO_ABORT);
      expect(record.error).toBeUndefined();
      expect(record.status).toBe(200);
      expect(record.outputTokens).toBe(7);
      expect(record.inputTokens).toBe(5);
      expect([record.worker, record.seq]).toEqual([1, 4]);
      expect(record.endMs).toBeGreaterThanOrEqual(record.sentMs);
      expect(server.received[stream ? '/generate_stream' : '/generate']).toBe(1);
      if (stream) {
        expect(record.firstTokenMs).toBeGreaterThanOrEqual(record.sentMs);
        expect(record.firstTokenMs).toBeLessThanOrEqual(record.endMs);
        expect(target.description.kind).toBe('tgi-stream');
      } else {
        expect(record.serverInputTokens).toBe(5);
        expect(record.firstTokenMs).toBeUndefined();
      }
    } finally {
      await target.close();
      await server.close();
    }
  });

  const faults: [FaultMode, ErrorKind, number | undefined][] = [
    ['429', 'overloaded', 429],
    ['overloaded-body', 'overloaded', 503],
    ['500', 'server_error', 500],
    ['too-long', 'client_error', 422],
    ['hang', 'timeout', undefined],
    ['reset', 'network', undefined],
    ['garbage', 'invalid_response', 200],
    ['truncated', 'invalid_response', 200],
  ];
  it.each(faults)('maps fault %s to %s', async (mode, kind, status) => {
    const server = await startFaultServer({ modes: [mode] });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 1, httpClient, stream, timeoutMs: 1000 });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe(kind);
      expect(record.status).toBe(status);
      expect(record.outputTokens).toBe(0);
      if (mode === 'too-long') expect(record.errorMessage).toMatch(/input too long for the endpoint \(limit 4096 tokens\)/);
      if (mode === 'hang') expect(record.endMs - record.sentMs).toBeGreaterThanOrEqual(990);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('maps a refused connection to network', async () => {
    const port = await closedPort();
    const target = createTarget(parseTargetSpec(`tgi:http://127.0.0.1:${port}`), { maxSockets: 1, httpClient, stream });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe('network');
      expect(record.errorMessage).toMatch(/ECONNREFUSED/);
    } finally {
      await target.close();
    }
  });
});
