/**
 * Prices for the report step: the fleet region's SageMaker hosting prices read from the AWS Price List
 * API, cached in the results bucket for a day (`prices/{region}.json`), falling back to the shipped
 * table when the API cannot be read. The quote says which it used.
 */
import type { PricingClient } from '@aws-sdk/client-pricing';
import { quotePrice, type PriceQuote, type PriceRow } from '../../lib/catalog';
import { fetchHostingPrices } from '../pricing/price-list';
import type { ResultStore } from './result-store';

/** A cached read is reused for this long. */
export const PRICE_CACHE_TTL_MS = 24 * 60 * 60 * 1000;
export const PRICE_CACHE_VERSION = 1;

export function priceCacheKey(region: string): string {
  return `prices/${region}.json`;
}

interface CachedPrices {
  readonly schemaVersion: typeof PRICE_CACHE_VERSION;
  readonly region: string;
  /** ISO time of the Price List read. */
  readonly fetchedAt: string;
  readonly rows: readonly PriceRow[];
}

export interface ReportPriceDeps {
  /** The Price List client (us-east-1 in AWS; a loopback endpoint offline). Absent: shipped table. */
  readonly pricing?: PricingClient;
  readonly store: ResultStore;
  /** The fleet's region (where the endpoints run). */
  readonly region: string;
  readonly now: () => Date;
}

interface RegionPrices {
  readonly rows: readonly PriceRow[];
  /** What was read and how, for the quote's note. */
  readonly how: string;
}

async function regionPrices(deps: ReportPriceDeps): Promise<RegionPrices | { readonly failed: string }> {
  const key = priceCacheKey(deps.region);
  const now = deps.now();
  const cached = await deps.store.getJson<CachedPrices>(key).catch(() => undefined);
  if (cached?.schemaVersion === PRICE_CACHE_VERSION && now.getTime() - Date.parse(cached.fetchedAt) < PRICE_CACHE_TTL_MS) {
    return { rows: cached.rows, how: `read ${cached.fetchedAt} by the report step, cached in ${deps.store.locate(key)}` };
  }
  if (deps.pricing === undefined) return { failed: 'no Price List client' };
  try {
    const rows = await fetchHostingPrices(deps.pricing, deps.region, now);
    const doc: CachedPrices = { schemaVersion: PRICE_CACHE_VERSION, region: deps.region, fetchedAt: now.toISOString(), rows };
    await deps.store.putJson(key, doc);
    return { rows, how: `read ${doc.fetchedAt} by the report step` };
  } catch (error) {
    return { failed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * The price of one instance of `instanceType` in the fleet's region: the Price List API's (fresh or
 * cached), else the shipped table's with a note saying why.
 */
export async function reportPriceQuote(deps: ReportPriceDeps, instanceType: string, discount = 0): Promise<PriceQuote> {
  const read = await regionPrices(deps);
  if ('failed' in read) {
    const quote = quotePrice(instanceType, { region: deps.region, discount });
    return { ...quote, note: `Price List API unavailable (${read.failed.slice(0, 200)}): shipped table used` };
  }
  const quote = quotePrice(instanceType, { region: deps.region, discount, refreshed: read.rows });
  if (quote.origin === 'price-list') return { ...quote, note: read.how };
  return { ...quote, note: `the Price List API lists no ${deps.region} hosting price for ${quote.instance}: shipped table used` };
}
