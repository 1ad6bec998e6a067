import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { benchmarkInputOf } from '../../lib/benchmark/deployment-input';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { BenchmarkSchema } from '../../lib/fleet/schema';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { DEPLOYMENT } from '../pipeline/records-fixture';

/** The open-loop search for the highest rate meeting the SLOs (`--rate auto`, fleet `rates: auto`). */

const sink = (): PassThrough => new PassThrough().resume();
const DEFAULTS = { inputTokens: '64', outputTokens: '64', timeout: '60', retries: '0', maxErrorRate: '0.01' };

describe('llm-bench sweep --rate auto', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 50 });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'rate-search-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('doubles the rate while the SLOs are met, then bisects to within 10 %; the stop names the highest passing rate', async () => {
    const flags: SweepFlags = { ...DEFAULTS, target: `tgi:${endpoint.url}`, rate: 'auto', maxRate: '64', slo: 'e2e=5000', duration: '60', seed: '1', out };
    const sweep = await runSweepCommand(flags, { stdout: sink(), stderr: sink() });
    const rates = sweep.levels.map((l) => l.offeredRatePerS!);
    const at = (r: number) => sweep.levels.find((l) => l.offeredRatePerS === r)!;
    // A client-bound level (this machine is shared) is no evidence: the search stops below it like below a failing rate.
    const passes = (r: number): boolean => at(r).client?.verdict !== 'client-bound' && at(r).goodput!.attainment >= 0.9;
    const best = Math.max(...rates.filter(passes));
    const upper = Math.min(...rates.filter((r) => r > best));
    expect(rates.filter((r) => r < best).every(passes)).toBe(true);
    expect(passes(upper)).toBe(false);
    expect(upper / best - 1).toBeLessThanOrEqual(0.1 + 1e-3);
    // The powers of two up to the best were tried, and no rate above the named one passed.
    for (let r = 1; r <= best; r *= 2) expect(rates).toContain(r);
    expect(rates.filter((r) => r > best && passes(r))).toEqual([]);
    expect(sweep.stopReason?.detail).toMatch(new RegExp(`; highest passing rate ${best} req/s$`));
    expect(at(upper).client?.verdict === 'client-bound' ? 'completed' : 'slo-attainment').toBe(sweep.stopReason?.rule);
  }, 60_000);

  it.each([
    [{ rate: 'auto', maxRate: '8' }, /^--rate: auto searches for the highest rate meeting the SLOs: give --slo/],
    [{ rate: 'auto', slo: 'e2e=5000' }, /^--max-rate: give the highest rate the search may try/],
    [{ rate: '1,2', maxRate: '8' }, /^--max-rate: caps the rate search only: give --rate auto/],
    [{ rate: 'auto', slo: 'e2e=5000', maxRate: '0' }, /^--max-rate: /],
  ])('refuses bad rate-search flags naming the flag (%j)', async (bad, message) => {
    await expect(runSweepCommand({ ...DEFAULTS, target: `tgi:${endpoint.url}`, requests: '2', out, ...bad }, { stdout: sink(), stderr: sink() })).rejects.toThrow(message);
  });
});

describe('fleet benchmark rates: auto', () => {
  const issues = (input: unknown): string[] => {
    const result = BenchmarkSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('the schema takes rates: auto with slo and maxRatePerS, and refuses it without them naming the field', () => {
    expect(issues({ mode: 'rate', rates: 'auto', maxRatePerS: 16, slo: { e2eMs: 5000 } })).toEqual([]);
    expect(issues({ mode: 'rate', rates: 'auto', maxRatePerS: 16 })).toEqual(['slo: rates: auto searches for the highest rate meeting the SLOs: give slo']);
    expect(issues({ mode: 'rate', rates: 'auto', slo: { e2eMs: 5000 } })).toEqual(['maxRatePerS: rates: auto needs the highest rate to try, requests/s']);
    expect(issues({ mode: 'rate', rates: [1], maxRatePerS: 16 })).toEqual(["maxRatePerS: applies to rates: 'auto' only"]);
    expect(issues({ mode: 'rate', rates: 'all' })).toEqual(["rates: expected a list of rates > 0 (requests/s) or 'auto'"]);
  });

  it('the state machine carries rates: auto and plans the search through the one decision (first rate 1 request/s, key 1000)', () => {
    const deployment: DeploymentInput = {
      ...DEPLOYMENT,
      benchmark: { ...DEPLOYMENT.benchmark, mode: 'rate', rates: 'auto', maxRatePerS: 16, workers: 2, slo: { e2eMs: 5000 } },
    };
    expect(benchmarkInputOf(deployment.benchmark)).toMatchObject({ mode: 'rate', rates: 'auto', maxRatePerS: 16 });
    const step = decideNext({ deployment, runId: 'r', measured: [], nowEpochMs: 0, startLeadMs: 0 });
    expect(step).toMatchObject({ done: false, concurrency: 1000, workerCount: 2 });
    expect(step.workers.map((w) => w.ratePerS)).toEqual([0.5, 0.5]);
  });
});
