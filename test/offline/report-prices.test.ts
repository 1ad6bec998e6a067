import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startPriceListServer } from '../../loadtest/local/pricing';
import { runOffline, type OfflineOptions } from '../../loadtest/offline/run-offline';
import type { SynthesizedFleet } from '../../loadtest/offline/synth';
import { synthesizeStudyPipeline } from './fixture';

/**
 * The report step of the synthesized state machine, offline: it reads the fleet region's prices
 * through the real Price List client pointed at a loopback Price List API, caches them in the
 * results store, and falls back to the shipped table when the API is unavailable, saying which.
 */
let synthesized: SynthesizedFleet;
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  synthesized = synthesizeStudyPipeline();
});

const SHORT = { durationS: 10, warmupRequests: 1, concurrency: [1, 2], plateauGain: 0 } as const;

function options(overrides: Partial<OfflineOptions>): OfflineOptions {
  return { synthesized, speedup: 60, benchmark: SHORT, ...overrides };
}

describe('report step prices (offline harness)', () => {
  it('uses the Price List API when it answers, its cached read for a day after, and the shipped table when neither exists', async () => {
    const server = await startPriceListServer({ products: [{ instance: 'ml.g5.2xlarge', region: 'us-east-1', usd: 1.4 }] });
    const outDir = mkdtempSync(path.join(tmpdir(), 'llm-bench-prices-'));
    const priceListUrl = server.url;
    let fresh;
    try {
      fresh = await runOffline(options({ outDir, runId: 'fresh', priceListUrl }));
    } finally {
      await server.close();
    }
    expect(fresh.succeeded).toBe(true);
    expect(server.requests.map((r) => r.target)).toEqual(['AWSPriceListService.GetProducts']);
    expect(fresh.sweep?.deployment?.price).toMatchObject({ origin: 'price-list', region: 'us-east-1', listUsd: 1.4, verified: true });
    expect(fresh.sweep?.deployment?.price?.note).toMatch(/^read \d{4}-\d{2}-\d{2}T.* by the report step$/);
    expect(fresh.sweep?.deployment?.hourlyUsd).toBe(1.4);
    const markdown = readFileSync(fresh.files.markdown, 'utf8');
    expect(markdown).toMatch(/## Prices/);
    expect(markdown).toMatch(/\| us-east-1 \| 1\.4 \| — \| AWS Price List API \(read .* by the report step\) \| \d{4}-\d{2}-\d{2} \(0 d\) \| yes \|/);
    const cache = JSON.parse(readFileSync(path.join(outDir, 'prices', 'us-east-1.json'), 'utf8')) as { rows: { instance: string; usd: number }[] };
    expect(cache.rows).toEqual([expect.objectContaining({ instance: 'ml.g5.2xlarge', usd: 1.4 })]);

    // The server is gone: the same results store still has a read of today.
    const cached = await runOffline(options({ outDir, runId: 'cached', priceListUrl }));
    expect(cached.sweep?.deployment?.price).toMatchObject({ origin: 'price-list', listUsd: 1.4 });
    expect(cached.sweep?.deployment?.price?.note).toMatch(/cached in .*prices\/us-east-1\.json/);

    // A new store and no Price List API: the shipped table, and the report says why.
    const fallback = await runOffline(options({ outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-prices-')), runId: 'fallback', priceListUrl }));
    expect(fallback.succeeded).toBe(true);
    expect(fallback.sweep?.deployment?.price).toMatchObject({ origin: 'table', listUsd: 1.515, asOf: '2026-11-27' });
    expect(fallback.sweep?.deployment?.price?.note).toMatch(/^Price List API unavailable \(.*\): shipped table used$/);
    expect(readFileSync(fallback.files.markdown, 'utf8')).toMatch(/shipped table: https:\/\/aws\.amazon\.com\/sagemaker\/pricing\/ \(Price List API unavailable/);
    expect(fallback.sweep?.cost?.hourlyUsd).toBe(1.515);
  });
});
