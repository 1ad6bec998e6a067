import { UnknownNameError, UserInputError } from '../../lib/errors';
import { getInstanceType, hourlyPriceUsd, parsePriceOverrides } from '../../lib/catalog';

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

describe('hourlyPriceUsd', () => {
  it('returns the catalog price without overrides', () => {
    expect(hourlyPriceUsd('ml.g5.2xlarge')).toBe(getInstanceType('ml.g5.2xlarge').price.usd);
    expect(hourlyPriceUsd('g5.2xlarge')).toBeGreaterThan(1);
  });

  it('prefers an override', () => {
    const overrides = parsePriceOverrides('ml.g5.2xlarge=1.6');
    expect(hourlyPriceUsd('ml.g5.2xlarge', overrides)).toBe(1.6);
    expect(hourlyPriceUsd('g5.2xlarge', overrides)).toBe(1.6);
    expect(hourlyPriceUsd('ml.g5.12xlarge', overrides)).toBe(getInstanceType('ml.g5.12xlarge').price.usd);
  });

  it('accepts hand-written overrides keyed without the ml. prefix', () => {
    expect(hourlyPriceUsd('ml.p5.48xlarge', { 'p5.48xlarge': 99 })).toBe(99);
  });

  it('fails for an unknown instance', () => {
    expect(() => hourlyPriceUsd('ml.x9.huge')).toThrow(UnknownNameError);
  });
});
