import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { discoverTwinLagProbe, twinLagFromInfo, twinLagProbe } from '../../loadtest/local/twin-lag';
import type { SweepResult } from '../../lib/results/records';
import { LatencySketch } from '../../lib/results/sketch';
import { collector } from '../support/collector';


/**
 * Blocks the event loop `busyMs` of every `busyMs + 10` ms: the twin's timer (and everything else in
 * this process) fires up to `busyMs` late. Stops when the returned function is called.
 */
function cpuBurner(busyMs: number): () => void {
  const timer = setInterval(() => {
    const end = performance.now() + busyMs;
    while (performance.now() < end);
  }, busyMs + 10);
  return () => clearInterval(timer);
}

/**
 * The twin measures its own lag and each level measured against it carries the verdict. The twin is
 * Llama 3.1 70B on a g5.48xlarge at c = 8, speedup 1: its median token gap is ≈ 75 ms, so an unloaded
 * twin (measured: lag p99 1–3 ms) is judged lagging only past 38 ms p99, a stall of this process 10×
 * anything measured idle; the burner holds the loop 250 ms at a time, tokens pile up (ITL p50 ≈ 0) and
 * its lag p99 is ≈ 240 ms.
 */
describe('the twin\'s own lag, per level (CLI sweep against a local twin)', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-3-1-70b', instance: 'ml.g5.48xlarge', speedup: 1 });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'twin-lag-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const flags = (): SweepFlags => ({ target: `tgi:${endpoint.url}`, inputTokens: '64', outputTokens: '16', timeout: '60', retries: '0', maxErrorRate: '1', concurrency: '8', requests: '8', warmup: '0', stream: true, out });

  it('an idle twin is ok; with a CPU burner in its process the level is lagging, flagged in sweep.json, the report and the level line', async () => {
    const idle = await runSweepCommand(flags(), { stdout: collector(), stderr: collector() });
    const calm = idle.levels[0].twin;
    expect(calm).toMatchObject({ schemaVersion: 1, verdict: 'ok' });
    expect(calm?.samples).toBeGreaterThanOrEqual(16); // one per decode step at least
    expect(calm?.lagMsMax).toBeGreaterThanOrEqual(calm?.lagMsP99 ?? Infinity);
    // The field round-trips through sweep.json and levels/c-8.json.
    expect((JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult).levels[0].twin).toEqual(calm);
    expect(JSON.parse(readFileSync(join(out, 'levels', 'c-8.json'), 'utf8')).twin).toEqual(calm);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| Twin \|[\s\S]*\| ok \([\d.]+ ms\) \|/);

    rmSync(out, { recursive: true, force: true });
    const stderr = collector();
    const stop = cpuBurner(250);
    let busy: SweepResult;
    try {
      busy = await runSweepCommand(flags(), { stdout: collector(), stderr });
    } finally {
      stop();
    }
    const lagging = busy.levels[0].twin;
    expect(lagging?.verdict).toBe('lagging');
    // The burner dominates: its lag is several times anything the idle twin saw.
    expect(lagging?.lagMsP99).toBeGreaterThan(100);
    expect(lagging?.lagMsP99).toBeGreaterThan(3 * (calm?.lagMsP99 ?? Infinity));
    expect(lagging?.reason).toMatch(/^twin lag p99 [\d.]+ ms > /);
    expect((JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult).levels[0].twin).toEqual(lagging);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`LAGGING (${lagging?.reason})`);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8').split(/\r?\n/)[0]).toMatch(/,twin\.verdict,twin\.lagMsP99,twin\.lagMsMax$/);
    expect(stderr.text).toContain(`[TWIN LAGGING: ${lagging?.reason}]`);
    // Reported only: the sweep still measured its level and ended as asked.
    expect(busy.stopReason?.rule).toBe('completed');
  }, 60_000);

  it('GET /info carries the lag since start; two readings give a window\'s lag alone', async () => {
    const info = (await (await fetch(`${endpoint.url}/info`)).json()) as { twin_lag: { samples: number; p99_ms: number; max_ms: number } };
    const sinceStart = twinLagFromInfo(info);
    expect(sinceStart?.count).toBe(info.twin_lag.samples);
    expect(info.twin_lag.max_ms).toBe(endpoint.lag().distribution().max);
    // Nothing ran between two readings: an empty window.
    const end = await twinLagProbe(endpoint.url).begin();
    expect(await end()).toEqual({ lagMsP99: 0, lagMsMax: 0, samples: 0 });
  });
});

describe('an endpoint that is no twin', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A TGI server's GET /info: no `twin_lag`.
    server = createServer((_, response) => response.end(JSON.stringify({ model_id: 'x', max_input_tokens: 4096 })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gets no probe, and a probe reading it gives no measures', async () => {
    expect(await discoverTwinLagProbe(url)).toBeUndefined();
    expect(await discoverTwinLagProbe(undefined)).toBeUndefined();
    expect(await (await twinLagProbe(url).begin())()).toBeUndefined();
  });

  it('readings of two different twins (a restart in between) give no measures rather than a wrong window', async () => {
    const readings = [new LatencySketch(), new LatencySketch()];
    readings[0].add(5);
    readings[1].add(7);
    let i = 0;
    const end = await twinLagProbe(url, async () => readings[i++]).begin();
    expect(await end()).toBeUndefined();
  });
});
