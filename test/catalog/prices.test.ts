import { UnknownNameError, UserInputError } from '../../lib/errors';
import {
  describePrice,
  getInstanceType,
  hourlyPriceUsd,
  isStale,
  listInstanceTypes,
  parseDiscount,
  parsePriceOverrides,
  priceAgeDays,
  quotePrice,
  shippedPriceRows,
  STALE_AFTER_DAYS,
} from '../../lib/catalog';
import { EC2_US_EAST_1_USD } from '../../lib/catalog/price-regions';

describe('parsePriceOverrides', () => {
  it('parses a list of instance=price pairs, with or without the ml. prefix', () => {
    expect(parsePriceOverrides('ml.g5.2xlarge=1.6, p4d.24xlarge=30')).toEqual({ 'ml.g5.2xlarge': 1.6, 'ml.p4d.24xlarge': 30 });
  });

  it('returns no overrides for an empty spec', () => {
    expect(parsePriceOverrides('')).toEqual({});
    expect(parsePriceOverrides(' , ')).toEqual({});
  });

  it.each([
    ['ml.g5.2xlarge', /'ml.g5.2xlarge' is not INSTANCE=USD_PER_HOUR/],
    ['ml.g5.2xlarge=', /is not INSTANCE=USD_PER_HOUR/],
    ['=1.5', /is not INSTANCE=USD_PER_HOUR/],
    ['ml.g5.2xlarge=abc', /price 'abc' for ml.g5.2xlarge must be a positive decimal number/],
    ['ml.g5.2xlarge=-1', /price '-1' .* positive/],
    ['ml.g5.2xlarge=0', /price '0' .* positive/],
    ['ml.g5.2xlarge=1e3', /price '1e3'/],
    ['ml.g5.2xlarge=1,g5.2xlarge=2', /ml.g5.2xlarge is given more than once/],
  ])('rejects %p', (spec, message) => {
    expect(() => parsePriceOverrides(spec, '--price')).toThrow(UserInputError);
    expect(() => parsePriceOverrides(spec, '--price')).toThrow(message);
  });

  it('rejects an unknown instance with suggestions, naming the field', () => {
    expect(() => parsePriceOverrides('ml.g5.3xlarge=2', 'priceOverrides')).toThrow(UnknownNameError);
    expect(() => parsePriceOverrides('ml.g5.3xlarge=2', 'priceOverrides')).toThrow(/^priceOverrides: unknown instance type 'ml.g5.3xlarge'; did you mean/);
  });
});

const US = { region: 'us-east-1' } as const;

describe('quotePrice', () => {
  it('prices from the region row of the shipped table, with source and date', () => {
    const q = quotePrice('ml.g5.2xlarge', US);
    expect(q).toMatchObject({ instance: 'ml.g5.2xlarge', region: 'us-east-1', listUsd: 1.515, usd: 1.515, discount: 0, origin: 'table', verified: true, asOf: '2026-11-27' });
    expect(q.source).toBe('https://aws.amazon.com/sagemaker/pricing/');
    expect(hourlyPriceUsd('g5.2xlarge', US)).toBe(getInstanceType('ml.g5.2xlarge').price.usd);
  });

  it('carries the 2025 P4/P5 price cut, unverified and saying how it was derived', () => {
    const p4d = quotePrice('ml.p4d.24xlarge', US);
    expect(p4d.listUsd).toBe(25.2513);
    expect(p4d.verified).toBe(false);
    expect(p4d.derivedFrom).toMatch(/× 1.15/);
    expect(quotePrice('ml.p4de.24xlarge', US).listUsd).toBe(31.5641);
    expect(quotePrice('ml.p5.48xlarge', US).listUsd).toBe(63.296);
  });

  it('prices the same instance differently per region', () => {
    const dublin = quotePrice('ml.g5.12xlarge', { region: 'eu-west-1' });
    // 7.09 × 1.116 (EC2 g5 eu-west-1 / us-east-1): derived, unverified.
    expect(dublin.listUsd).toBe(7.9124);
    expect(dublin).toMatchObject({ origin: 'table', verified: false, asOf: '2026-01-21' });
    expect(dublin.derivedFrom).toMatch(/us-east-1 7.09 × 1.116/);
    expect(quotePrice('ml.g5.12xlarge', { region: 'us-west-2' }).listUsd).toBe(7.09);
  });

  it('falls back to the us-east-1 row for a region without one, and says so', () => {
    const q = quotePrice('ml.g6e.2xlarge', { region: 'eu-west-1' });
    expect(q).toMatchObject({ origin: 'table-us-east-1', listUsd: 2.8, region: 'eu-west-1', verified: false });
    expect(q.derivedFrom).toMatch(/no eu-west-1 price for ml.g6e.2xlarge/);
  });

  it('prefers an override, then a refreshed row, then the table', () => {
    const refreshed = [{ instance: 'ml.g5.2xlarge', region: 'us-east-1', usd: 1.4, asOf: '2026-11-30', source: 'AWS Price List API', verified: true }];
    expect(quotePrice('ml.g5.2xlarge', { ...US, refreshed })).toMatchObject({ listUsd: 1.4, origin: 'price-list', asOf: '2026-11-30' });
    expect(quotePrice('ml.g5.2xlarge', { ...US, refreshed, overrides: parsePriceOverrides('g5.2xlarge=1.6') })).toMatchObject({ listUsd: 1.6, origin: 'override' });
    expect(quotePrice('ml.p5.48xlarge', { ...US, overrides: { 'p5.48xlarge': 99 } }).listUsd).toBe(99);
    // A refreshed row of another region does not apply.
    expect(quotePrice('ml.g5.2xlarge', { region: 'us-west-2', refreshed }).origin).toBe('table');
  });

  it('applies a discount to every price, overridden or not', () => {
    expect(quotePrice('ml.g5.2xlarge', { ...US, discount: 0.3 }).usd).toBeCloseTo(1.515 * 0.7, 12);
    expect(quotePrice('ml.g5.2xlarge', { ...US, discount: 0.3, overrides: { 'ml.g5.2xlarge': 2 } }).usd).toBeCloseTo(1.4, 12);
  });

  it('fails for an unknown instance or a bad discount', () => {
    expect(() => quotePrice('ml.x9.huge', US)).toThrow(UnknownNameError);
    expect(() => quotePrice('ml.g5.2xlarge', { ...US, discount: 1 })).toThrow(/^discount: 1 must be a fraction from 0/);
  });
});

describe('parseDiscount', () => {
  it.each([
    ['0.3', 0.3],
    ['30%', 0.3],
    ['0', 0],
  ])('parses %p', (text, value) => expect(parseDiscount(text)).toBeCloseTo(value, 12));

  it.each(['1', '-0.1', 'abc', '130%'])('rejects %p naming the field', (text) => {
    expect(() => parseDiscount(text)).toThrow(UserInputError);
    expect(() => parseDiscount(text)).toThrow(/^discount: /);
  });
});

describe('price age', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it('counts whole days and flags prices older than the threshold', () => {
    expect(STALE_AFTER_DAYS).toBe(90);
    expect(priceAgeDays('2026-11-27', now)).toBe(3);
    expect(isStale({ asOf: '2026-09-01' }, now)).toBe(false);
    expect(isStale({ asOf: '2026-08-31' }, now)).toBe(true);
    expect(isStale({}, now)).toBe(false);
  });

  it('describes a quote with region, source, date, age and discount', () => {
    const text = describePrice(quotePrice('ml.g5.12xlarge', { region: 'eu-west-1', discount: 0.3 }), now);
    expect(text).toMatch(/^prices: eu-west-1 on-demand \$7.9124\/h per ml.g5.12xlarge, shipped table, as of 2026-01-21 \(313 days, stale: older than 90 days\)/);
    expect(text).toMatch(/unverified: us-east-1 7.09 × 1.116/);
    expect(text).toMatch(/; 30% discount → \$5.5387\/h$/);
  });
});

describe('shipped price table', () => {
  const STUDY = ['ml.g5.2xlarge', 'ml.g5.12xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge'];
  const rows = shippedPriceRows();

  it('has a dated, sourced row for every catalog instance in us-east-1, and unverified rows say what they derive from', () => {
    for (const i of listInstanceTypes()) expect(rows.some((r) => r.instance === i.name && r.region === 'us-east-1')).toBe(true);
    for (const r of rows) {
      expect(r.usd).toBeGreaterThan(0);
      expect(r.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.source).toMatch(/^https:\/\//);
      if (!r.verified) expect(r.derivedFrom).toBeDefined();
    }
    expect(new Set(rows.map((r) => `${r.instance}|${r.region}`)).size).toBe(rows.length);
  });

  it('covers the study instances and g6, g6e, p5 outside us-east-1', () => {
    for (const name of [...STUDY, 'ml.g6.12xlarge', 'ml.g6e.12xlarge', 'ml.p5.48xlarge']) {
      expect(rows.filter((r) => r.instance === name && r.region !== 'us-east-1').length).toBeGreaterThanOrEqual(4);
    }
    expect(rows.filter((r) => r.region !== 'us-east-1').every((r) => !r.verified)).toBe(true);
  });

  it('agrees with EC2 on-demand × the SageMaker factor in us-east-1 (1.4 xlarge, 1.25 larger g sizes, 1.15 P) within 0.3 %', () => {
    for (const r of rows.filter((row) => row.region === 'us-east-1')) {
      const ec2Name = r.instance.slice('ml.'.length);
      const factor = r.instance.startsWith('ml.p') ? 1.15 : ec2Name.endsWith('.xlarge') ? 1.4 : 1.25;
      expect(Math.abs(r.usd / (EC2_US_EAST_1_USD[ec2Name] * factor) - 1)).toBeLessThan(0.003);
    }
  });
});
