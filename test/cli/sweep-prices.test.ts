import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runReportCommand } from '../../loadtest/cli/report-command';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import type { SweepResult } from '../../lib/results/records';

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() });
const FLAGS = { inputTokens: '64', outputTokens: '16', timeout: '60', retries: '2', maxConcurrency: '256', maxErrorRate: '0.01', concurrency: '1', requests: '3' };

describe('sweep reports priced in the endpoint\'s region', () => {
  let endpoint: LocalEndpoint;
  const dirs: string[] = [];
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 4, speedup: 200 });
  });
  afterAll(async () => {
    await endpoint.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function sweep(extra: Partial<SweepFlags>): Promise<{ result: SweepResult; out: string }> {
    const out = mkdtempSync(join(tmpdir(), 'sweep-prices-'));
    dirs.push(out);
    const result = await runSweepCommand({ ...FLAGS, target: `tgi:${endpoint.url}`, instance: 'ml.g5.12xlarge', out, ...extra }, { stdout: sink(), stderr: sink() });
    return { result, out };
  }

  it('gives the same deployment two prices in two regions, and every report states source, date and discount', async () => {
    const us = await sweep({ region: 'us-east-1' });
    const tokyo = await sweep({ region: 'ap-northeast-1', discount: '0.3' });
    expect(us.result.deployment).toMatchObject({ hourlyUsd: 7.09, price: { region: 'us-east-1', origin: 'table', asOf: '2026-11-27', verified: true } });
    // 7.09 × 1.45 (EC2 g5 ap-northeast-1 / us-east-1) = 10.2805, then 30% off.
    expect(tokyo.result.deployment?.price).toMatchObject({ region: 'ap-northeast-1', listUsd: 10.2805, discount: 0.3, verified: false });
    expect(tokyo.result.deployment?.hourlyUsd).toBeCloseTo(10.2805 * 0.7, 10);
    expect(tokyo.result.cost?.hourlyUsd).toBeCloseTo(10.2805 * 0.7, 10);

    const usReport = readFileSync(join(us.out, 'report.md'), 'utf8');
    expect(usReport).toMatch(/## Prices/);
    expect(usReport).toMatch(/\| us-east-1 \| 7\.09 \| — \| shipped table: https:\/\/aws\.amazon\.com\/sagemaker\/pricing\/ \| 2026-11-27 \(\d+ d\) \| yes \|/);
    const tokyoReport = readFileSync(join(tokyo.out, 'report.md'), 'utf8');
    expect(tokyoReport).toMatch(/\| ap-northeast-1 \| 10\.28 \| 30 % \| shipped table: .* \| 2026-01-21 \(\d+ d, stale\) \| no: us-east-1 7\.09 × 1\.45/);
    const csv = readFileSync(join(tokyo.out, 'sweep.csv'), 'utf8').split('\n');
    expect(csv[0]).toContain('priceRegion,priceOrigin,priceSource,priceAsOf,priceDiscount');
    expect(csv[1]).toContain(',ap-northeast-1,table,');

    // llm-bench report --region re-prices a stored sweep in another region.
    const outDir = mkdtempSync(join(tmpdir(), 'sweep-prices-report-'));
    dirs.push(outDir);
    await runReportCommand([us.out], { out: outDir, region: 'eu-west-1' });
    const repriced = JSON.parse(readFileSync(join(outDir, 'sweep.json'), 'utf8')) as SweepResult;
    expect(repriced.deployment?.price).toMatchObject({ region: 'eu-west-1', listUsd: 7.9124 });
    expect(readFileSync(join(outDir, 'report.md'), 'utf8')).toMatch(/\| eu-west-1 \| 7\.912 \|/);
  });
});
