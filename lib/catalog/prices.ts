/**
 * Hourly prices. Every cost figure goes through `quotePrice`: an instance type in a region, priced
 * from (first match) a `--price` override, prices refreshed from the AWS Price List API, the shipped
 * table's row for the region, or the us-east-1 row when the region has none; then the discount.
 * The quote says which it used, from where and as of when.
 */
import { UserInputError } from '../errors';
import { getInstanceType, normalizeInstanceName } from './lookup';
import { PRICE_TABLE, type PriceRow } from './price-table';

export type { PriceRow } from './price-table';

/** Instance name (`ml.*`) → USD per hour. */
export type PriceOverrides = Readonly<Record<string, number>>;

/** Region of prices when nothing names one (the study's region). */
export const DEFAULT_PRICE_REGION = 'us-east-1';

/**
 * A price read more than this many days ago is flagged as stale. AWS changes hosting prices rarely
 * but does (the 2025 P4/P5 cut lowered p4d by a third); a quarter is the horizon after which a
 * cost figure should be checked with `llm-bench prices --refresh` before it is quoted.
 */
export const STALE_AFTER_DAYS = 90;

/** How prices are looked up: the region is required, the rest optional. */
export interface Pricing {
  readonly region: string;
  /** `--price` overrides (on-demand price before the discount). */
  readonly overrides?: PriceOverrides;
  /** Fraction off every price, e.g. 0.3 for a Savings Plan; 0 ≤ discount < 1. */
  readonly discount?: number;
  /** Rows refreshed from the AWS Price List API (the local override file, or the report step's read). */
  readonly refreshed?: readonly PriceRow[];
}

/** Where a quote came from. */
export type PriceOrigin = 'override' | 'price-list' | 'table' | 'table-us-east-1';

export interface PriceQuote {
  readonly instance: string;
  /** Region the price is for (the deployment's). */
  readonly region: string;
  /** On-demand price per instance-hour before the discount, USD. */
  readonly listUsd: number;
  readonly discount: number;
  /** listUsd × (1 − discount): what cost figures use. */
  readonly usd: number;
  readonly origin: PriceOrigin;
  /** ISO date the price was read; absent for a `--price` override. */
  readonly asOf?: string;
  readonly source: string;
  readonly verified: boolean;
  readonly derivedFrom?: string;
  /** How the figure was obtained when that matters, e.g. why the report step fell back to the table. */
  readonly note?: string;
}

/** Checks a discount value: a fraction in [0, 1). */
export function checkDiscount(discount: number, field = 'discount'): number {
  if (!Number.isFinite(discount) || discount < 0 || discount >= 1) {
    throw new UserInputError(field, `${discount} must be a fraction from 0 (none) to below 1, e.g. 0.3 for 30% off`);
  }
  return discount;
}

/** Parses `--discount 0.3` (also `30%`). */
export function parseDiscount(text: string, field = 'discount'): number {
  const trimmed = text.trim();
  const percent = /^(\d+(\.\d+)?)%$/.exec(trimmed);
  if (percent) return checkDiscount(Number(percent[1]) / 100, field);
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UserInputError(field, `'${text}' is not a fraction such as 0.3 (or a percentage such as 30%)`);
  return checkDiscount(Number(trimmed), field);
}

/** Parses `ml.g5.2xlarge=1.6,ml.p4d.24xlarge=30` (the `ml.` prefix is optional; empty → no overrides). */
export function parsePriceOverrides(spec: string, field = 'priceOverrides'): PriceOverrides {
  const overrides: Record<string, number> = {};
  for (const rawEntry of spec.split(',')) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      throw new UserInputError(field, `'${entry}' is not INSTANCE=USD_PER_HOUR (e.g. ml.g5.2xlarge=1.6)`);
    }
    const name = getInstanceType(entry.slice(0, eq), field).name;
    const valueText = entry.slice(eq + 1).trim();
    const usd = Number(valueText);
    if (!/^\d+(\.\d+)?$/.test(valueText) || !Number.isFinite(usd) || usd <= 0) {
      throw new UserInputError(field, `price '${valueText}' for ${name} must be a positive decimal number of USD per hour (e.g. 1.6)`);
    }
    if (name in overrides) throw new UserInputError(field, `${name} is given more than once`);
    overrides[name] = usd;
  }
  return overrides;
}

/** The shipped rows (all regions). */
export function shippedPriceRows(): readonly PriceRow[] {
  return PRICE_TABLE;
}

function findRow(rows: readonly PriceRow[] | undefined, instance: string, region: string): PriceRow | undefined {
  return rows?.find((r) => r.instance === instance && r.region === region);
}

function listQuote(name: string, pricing: Pricing): Omit<PriceQuote, 'discount' | 'usd'> {
  const override = pricing.overrides?.[name] ?? pricing.overrides?.[name.slice('ml.'.length)];
  if (override !== undefined) {
    return { instance: name, region: pricing.region, listUsd: override, origin: 'override', source: '--price override', verified: true };
  }
  const refreshed = findRow(pricing.refreshed, name, pricing.region);
  const row = refreshed ?? findRow(PRICE_TABLE, name, pricing.region);
  if (row !== undefined) {
    return {
      instance: name,
      region: pricing.region,
      listUsd: row.usd,
      origin: refreshed ? 'price-list' : 'table',
      asOf: row.asOf,
      source: row.source,
      verified: row.verified,
      ...(row.derivedFrom !== undefined ? { derivedFrom: row.derivedFrom } : {}),
    };
  }
  const fallback = findRow(PRICE_TABLE, name, DEFAULT_PRICE_REGION);
  if (fallback === undefined) throw new UserInputError('instance', `no price for ${name}; give one with --price ${name}=USD_PER_HOUR`);
  return {
    instance: name,
    region: pricing.region,
    listUsd: fallback.usd,
    origin: 'table-us-east-1',
    asOf: fallback.asOf,
    source: fallback.source,
    verified: false,
    derivedFrom: `no ${pricing.region} price for ${name} in the table: the ${DEFAULT_PRICE_REGION} price (regional prices are usually higher)`,
  };
}

/** The one price lookup: an instance type's hourly price in a region, with its provenance. */
export function quotePrice(instanceName: string, pricing: Pricing): PriceQuote {
  const name = getInstanceType(normalizeInstanceName(instanceName), 'instance').name;
  const discount = checkDiscount(pricing.discount ?? 0, 'discount');
  const list = listQuote(name, pricing);
  return { ...list, discount, usd: list.listUsd * (1 - discount) };
}

/** The discounted hourly price of one instance (quotePrice(...).usd). */
export function hourlyPriceUsd(instanceName: string, pricing: Pricing): number {
  return quotePrice(instanceName, pricing).usd;
}

/** Whole days from `asOf` (ISO date) to `now`. */
export function priceAgeDays(asOf: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${asOf.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

export function isStale(quote: Pick<PriceQuote, 'asOf'>, now: Date): boolean {
  return quote.asOf !== undefined && priceAgeDays(quote.asOf, now) > STALE_AFTER_DAYS;
}

const ORIGIN_TEXT: Readonly<Record<PriceOrigin, string>> = {
  override: '--price override',
  'price-list': 'AWS Price List API',
  table: 'shipped table',
  'table-us-east-1': `shipped table, ${DEFAULT_PRICE_REGION} row (no row for the region)`,
};

/**
 * One line a report or `plan` prints under its cost figures, e.g.
 * `prices: eu-west-1 on-demand, shipped table as of 2026-01-21 (313 days, stale), unverified; 30% discount`.
 */
export function describePrice(quote: PriceQuote, now: Date): string {
  const parts = [`${quote.region} on-demand $${quote.listUsd}/h per ${quote.instance}`, ORIGIN_TEXT[quote.origin]];
  if (quote.asOf !== undefined) {
    const age = priceAgeDays(quote.asOf, now);
    parts.push(`as of ${quote.asOf} (${age} day${age === 1 ? '' : 's'}${age > STALE_AFTER_DAYS ? `, stale: older than ${STALE_AFTER_DAYS} days` : ''})`);
  }
  if (quote.origin !== 'override') parts.push(quote.source);
  if (!quote.verified) parts.push(`unverified${quote.derivedFrom ? `: ${quote.derivedFrom}` : ''}`);
  if (quote.note !== undefined) parts.push(quote.note);
  const discount = quote.discount > 0 ? `; ${round2(quote.discount * 100)}% discount → $${round4(quote.usd)}/h` : '';
  return `prices: ${parts.join(', ')}${discount}`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
