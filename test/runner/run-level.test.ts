import { createPayloadSource } from '../../loadtest/payload';
import type { RequestRecord } from '../../lib/results/records';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget, parseTargetSpec, type Target } from '../../loadtest/targets';
import { startFaultServer } from '../support/fault-server';

const payload = createPayloadSource({ inputTokens: 16, outputTokens: 4 });

describe('runLevel (closed loop against a loopback TGI server)', () => {
  it('keeps exactly c requests in flight and counts warm-up separately', async () => {
    const server = await startFaultServer({ delayMs: 15 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 4 });
    const streamed: RequestRecord[] = [];
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 4, warmupRequests: 4, requests: 40, onRecord: (r) => streamed.push(r) });
      expect(server.maxInFlight).toBe(4);
      expect(records).toHaveLength(44);
      expect(streamed).toEqual(records);
      expect(records.filter((r) => r.warmup === true)).toHaveLength(4);
      expect(level.requests).toBe(40);
      expect(level.ok).toBe(40);
      expect(level.outputTokens).toBe(160);
      expect(server.received['/generate']).toBe(44);
      for (let w = 0; w < 4; w++) {
        const seqs = records.filter((r) => r.worker === w).map((r) => r.seq);
        expect(seqs).toEqual(seqs.map((_, i) => i));
      }
      for (const r of records) {
        expect(r.inputTokens).toBe(16);
        expect(r.scheduledMs).toBeLessThanOrEqual(r.sentMs);
      }
      // Closed loop: a worker's next request is scheduled when its previous one ended.
      const byWorker0 = records.filter((r) => r.worker === 0);
      for (let i = 1; i < byWorker0.length; i++) expect(byWorker0[i].scheduledMs).toBeGreaterThanOrEqual(byWorker0[i - 1].endMs);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('stops sending when the duration window ends and counts requests still in flight', async () => {
    const server = await startFaultServer({ delayMs: 40 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 3 });
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 3, durationS: 0.3 });
      const firstSend = Math.min(...records.map((r) => r.sentMs));
      for (const r of records) expect(r.sentMs - firstSend).toBeLessThan(300 + 20);
      expect(Math.max(...records.map((r) => r.endMs)) - firstSend).toBeGreaterThan(300);
      expect(level.requests).toBe(records.length);
      expect(server.received['/generate']).toBe(records.length);
      // Every worker went round its loop more than once (timers run late on a loaded machine: no exact count).
      for (let w = 0; w < 3; w++) expect(records.filter((r) => r.worker === w).length).toBeGreaterThanOrEqual(2);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it.each([false, true])('accounts for every request exactly once under every fault (stream=%s)', async (stream) => {
    const modes = ['ok', '429', '500', 'hang', 'reset', 'garbage', 'truncated'] as const;
    const server = await startFaultServer({ modes });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 7, stream, timeoutMs: 1500 });
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 7, requests: 70 });
      expect(records).toHaveLength(70);
      const errors = Object.values(level.errors).reduce((sum, n) => sum + (n ?? 0), 0);
      expect(level.requests).toBe(70);
      expect(level.ok + errors).toBe(70);
      expect(level.ok).toBe(10);
      expect(level.errors).toEqual({ overloaded: 10, server_error: 10, timeout: 10, network: 10, invalid_response: 20 });
      expect(level.timeouts).toBe(10);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('aborts in-flight requests on the caller signal and still returns one record per send', async () => {
    const server = await startFaultServer({ modes: ['hang'] });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 2 });
    const controller = new AbortController();
    try {
      setTimeout(() => controller.abort(), 100);
      const { records } = await runLevel({ target, payload, concurrency: 2, durationS: 30, signal: controller.signal });
      expect(records).toHaveLength(2);
      expect(records.every((r) => r.error === 'network')).toBe(true);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('still accounts for a request whose target throws (a bug, not an endpoint fault)', async () => {
    const target: Target = {
      description: { kind: 'tgi', address: 'fake' },
      generate: async () => {
        throw new Error('bug in target');
      },
      close: async () => undefined,
    };
    const { records, level } = await runLevel({ target, payload, concurrency: 2, requests: 4 });
    expect(records).toHaveLength(4);
    expect(level.requests).toBe(4);
    expect(records[0].errorMessage).toMatch(/bug in target/);
  });

  it('rejects a level without a measured window', async () => {
    const target = createTarget(parseTargetSpec('tgi:http://127.0.0.1:9'), { maxSockets: 1 });
    await expect(runLevel({ target, payload, concurrency: 1 })).rejects.toThrow('durationS: give a measured window: `durationS` or `requests`');
    await target.close();
  });
});
