import { UserInputError } from '../../lib/errors';
import { createFaultPicker, formatFaultSpec, parseFaultSpec, type FaultKind } from '../../loadtest/local/faults';

describe('parseFaultSpec', () => {
  test('parses every kind and the seed', () => {
    const spec = parseFaultSpec('overload=0.1,5xx=0.05,hang=0.02,reset=0.02,garbage=0.02,truncate=0.02,seed=7');
    expect(spec).toEqual({ rates: { overload: 0.1, '5xx': 0.05, hang: 0.02, reset: 0.02, garbage: 0.02, truncate: 0.02 }, seed: 7 });
    expect(formatFaultSpec(spec)).toBe('overload=0.1,5xx=0.05,hang=0.02,reset=0.02,garbage=0.02,truncate=0.02,seed=7');
  });

  test.each([
    ['slow=0.1', /unknown fault 'slow'; allowed keys: overload, 5xx, hang, reset, garbage, truncate, throttle, seed/],
    ['overload', /'overload' is not KEY=NUMBER/],
    ['overload=abc', /is not KEY=NUMBER/],
    ['overload=1.5', /rate of 'overload' must be between 0 and 1, got 1.5/],
    ['overload=0.6,hang=0.6', /fault rates sum to 1.2, more than 1/],
    ['seed=1.5', /seed must be an integer/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(UserInputError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  test('empty and none mean no faults', () => {
    expect(parseFaultSpec('').rates).toEqual({});
    expect(formatFaultSpec(parseFaultSpec('none'))).toBe('none');
  });
});

describe('createFaultPicker', () => {
  const draw = (spec: string, n: number): (FaultKind | undefined)[] => {
    const picker = createFaultPicker(parseFaultSpec(spec));
    return Array.from({ length: n }, () => picker.next());
  };

  test('the same seed gives the same sequence; another seed a different one', () => {
    expect(draw('overload=0.3,hang=0.2,seed=7', 50)).toEqual(draw('overload=0.3,hang=0.2,seed=7', 50));
    expect(draw('overload=0.3,hang=0.2,seed=7', 50)).not.toEqual(draw('overload=0.3,hang=0.2,seed=8', 50));
  });

  test('faults occur at their rates', () => {
    const faults = draw('overload=0.1,5xx=0.05,seed=3', 20_000);
    const share = (kind: FaultKind) => faults.filter((f) => f === kind).length / faults.length;
    expect(share('overload')).toBeCloseTo(0.1, 2);
    expect(share('5xx')).toBeCloseTo(0.05, 2);
    expect(faults.filter((f) => f === undefined).length / faults.length).toBeCloseTo(0.85, 2);
  });

  test('rate 1 always, no spec never', () => {
    expect(new Set(draw('reset=1', 100))).toEqual(new Set(['reset']));
    expect(new Set(draw('', 100))).toEqual(new Set([undefined]));
  });
});
