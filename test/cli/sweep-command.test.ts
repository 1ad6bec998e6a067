import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import { parseConcurrencyLevels, runSweepCommand, type SweepFlags, type SweepIo } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import type { SweepResult } from '../../lib/results/records';
import { collector } from '../support/collector';


const DEFAULTS = { inputTokens: '64', outputTokens: '16', timeout: '60', retries: '2', maxConcurrency: '256', maxErrorRate: '0.01' };

describe('llm-bench sweep', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 200 });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'sweep-cli-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('sweeps a TGI endpoint, writes the report and prints sweep.json with --json', async () => {
    const stdout = collector();
    const stderr = collector();
    const io: SweepIo = { stdout, stderr };
    const flags: SweepFlags = { ...DEFAULTS, target: `tgi:${endpoint.url}`, concurrency: '1,2', requests: '6', out, json: true, stream: true, instance: 'ml.g5.2xlarge' };
    await runSweepCommand(flags, io);
    const printed = JSON.parse(stdout.text) as SweepResult;
    expect(printed.levels.map((l) => [l.concurrency, l.requests, l.ok])).toEqual([
      [1, 6, 6],
      [2, 6, 6],
    ]);
    expect(printed.target).toMatchObject({ kind: 'tgi-stream', speedup: 200 });
    expect(printed.payload).toMatchObject({ inputTokens: 64, outputTokens: 16 });
    expect(printed.levels[0].ttftMs).toBeDefined();
    expect(printed.deployment?.hourlyUsd).toBeGreaterThan(0);
    for (const file of ['sweep.json', 'report.md', 'report.html', 'curve.svg', 'sweep.csv', 'levels/c-2.json', 'records/c-2-w0.jsonl', 'run.json']) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))).toEqual(printed);
    // Not a terminal: one plain line per level on stderr, no progress bar.
    expect(stderr.text.trim().split('\n')).toEqual([expect.stringMatching(/^c=1: 6 requests, 6 ok, [\d.]+ tokens\/s/), expect.stringMatching(/^c=2: /)]);
  });

  it('sweeps through the SageMaker runtime protocol with --endpoint-url', async () => {
    const stdout = collector();
    const flags: SweepFlags = { ...DEFAULTS, target: `sagemaker:${endpoint.endpointName}`, endpointUrl: endpoint.url, concurrency: '2', requests: '4', out, speedup: '200' };
    const sweep = await runSweepCommand(flags, { stdout, stderr: collector() });
    expect(sweep.levels[0]).toMatchObject({ concurrency: 2, requests: 4, ok: 4 });
    expect(stdout.text).toMatch(/^sweep '.*': 1 levels, stopped: completed/);
  });

  it('reads --duration in endpoint time: a 20 s window against a 200× local endpoint runs 0.1 s', async () => {
    const flags: SweepFlags = { ...DEFAULTS, target: `tgi:${endpoint.url}`, concurrency: '2', duration: '20', warmup: '0', out };
    const startMs = performance.now();
    const sweep = await runSweepCommand(flags, { stdout: collector(), stderr: collector() });
    expect(performance.now() - startMs).toBeLessThan(5_000);
    expect(sweep.levels[0].durationS).toBeGreaterThanOrEqual(20);
    expect(sweep.levels[0].durationS).toBeLessThan(60);
    expect(sweep.levels[0].ok).toBeGreaterThan(2);
  });

  it.each<[Partial<SweepFlags>, RegExp]>([
    [{ concurrency: '1,x' }, /^--concurrency: 'x' is not a whole number ≥ 1 \(in '1,x'\)$/],
    [{ duration: '5', requests: '3' }, /^--duration: give --duration or --requests, not both/],
    [{ target: 'ftp:x' }, /^--target: /],
    [{ hourlyUsd: '1', instance: 'ml.g5.2xlarge' }, /^--hourly-usd: /],
  ])('rejects %o', async (bad, message) => {
    const flags: SweepFlags = { ...DEFAULTS, target: `tgi:${endpoint.url}`, concurrency: '1', requests: '1', out, ...bad };
    await expect(runSweepCommand(flags, { stdout: collector(), stderr: collector() })).rejects.toThrow(UserInputError);
    await expect(runSweepCommand(flags, { stdout: collector(), stderr: collector() })).rejects.toThrow(message);
  });

  it('parses level lists and auto', () => {
    expect(parseConcurrencyLevels('1, 2,4')).toEqual([1, 2, 4]);
    expect(parseConcurrencyLevels('auto')).toBe('auto');
    expect(() => parseConcurrencyLevels('2,2')).toThrow("--concurrency: '2,2' repeats level 2; list each level once");
    expect(parseConcurrencyLevels('8,1,2')).toEqual([8, 1, 2]);
  });
});
