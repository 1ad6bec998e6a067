import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createPriceListClient } from '../../loadtest/pricing/price-list';
import { startPriceListServer, type PriceListServer } from '../../loadtest/local/pricing';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { PRICE_CACHE_TTL_MS, priceCacheKey, reportPriceQuote } from '../../loadtest/pipeline/report-prices';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('reportPriceQuote', () => {
  let server: PriceListServer;
  beforeAll(async () => {
    server = await startPriceListServer({
      products: [
        { instance: 'ml.g5.12xlarge', region: 'eu-west-1', usd: 8.2 },
        { instance: 'ml.g5.12xlarge', region: 'us-east-1', usd: 7.09 },
      ],
    });
  });
  afterAll(() => server.close());

  function deps(now: Date, store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'report-prices-')))) {
    return { pricing: createPriceListClient({ endpoint: server.url, credentials: CREDENTIALS }), store, region: 'eu-west-1', now: () => now };
  }

  it('reads the fleet region through the Price List client, caches the read for a day, then reads again', async () => {
    const t0 = new Date('2026-11-30T06:00:00Z');
    const first = deps(t0);
    const before = server.requests.length;
    const quote = await reportPriceQuote(first, 'ml.g5.12xlarge', 0.3);
    expect(quote).toMatchObject({ origin: 'price-list', region: 'eu-west-1', listUsd: 8.2, discount: 0.3, asOf: '2026-11-30' });
    expect(quote.usd).toBeCloseTo(8.2 * 0.7, 12);
    expect(server.requests.length - before).toBe(1);
    expect(server.requests[server.requests.length - 1].filters.find((f) => f.Field === 'regionCode')?.Value).toBe('eu-west-1');
    expect(await first.store.exists(priceCacheKey('eu-west-1'))).toBe(true);

    const later = { ...first, now: () => new Date(t0.getTime() + PRICE_CACHE_TTL_MS - 60_000) };
    expect((await reportPriceQuote(later, 'ml.g5.12xlarge')).note).toMatch(/^read 2026-11-30T06:00:00.000Z by the report step, cached in /);
    expect(server.requests.length - before).toBe(1);

    const nextDay = { ...first, now: () => new Date(t0.getTime() + PRICE_CACHE_TTL_MS + 60_000) };
    expect((await reportPriceQuote(nextDay, 'ml.g5.12xlarge')).note).toBe('read 2026-12-01T06:01:00.000Z by the report step');
    expect(server.requests.length - before).toBe(2);
  });

  it('falls back to the shipped table when the API lists no price for the instance, or cannot be reached', async () => {
    const missing = await reportPriceQuote(deps(new Date('2026-11-30T06:00:00Z')), 'ml.g5.2xlarge');
    expect(missing).toMatchObject({ origin: 'table', region: 'eu-west-1', listUsd: 1.6907, verified: false });
    expect(missing.note).toBe('the Price List API lists no eu-west-1 hosting price for ml.g5.2xlarge: shipped table used');

    const down = { ...deps(new Date('2026-11-30T06:00:00Z')), pricing: createPriceListClient({ endpoint: 'http://127.0.0.1:9', credentials: CREDENTIALS }) };
    const fallback = await reportPriceQuote(down, 'ml.g5.12xlarge');
    expect(fallback).toMatchObject({ origin: 'table', listUsd: 7.9124 });
    expect(fallback.note).toMatch(/^Price List API unavailable \(.*ECONNREFUSED.*\): shipped table used$/);
    expect(await down.store.exists(priceCacheKey('eu-west-1'))).toBe(false);
  });
});
