import { UserInputError } from '../../lib/errors';
import { concurrencyListFlag, numberFlag, positiveNumberFlag, wholeNumberFlag } from '../../loadtest/cli/flag-values';

describe('concurrencyListFlag: the one concurrency-list parser of plan and sweep', () => {
  it('keeps the order given and trims spaces', () => {
    expect(concurrencyListFlag('--concurrency', '8, 1,2')).toEqual([8, 1, 2]);
  });
  it('accepts auto only when asked', () => {
    expect(concurrencyListFlag('--concurrency', ' auto ', { allowAuto: true })).toBe('auto');
    expect(() => concurrencyListFlag('--concurrency', 'auto')).toThrow("--concurrency: 'auto' is not a whole number ≥ 1 (in 'auto')");
  });
  it.each([
    ['1,x', "--concurrency: 'x' is not a whole number ≥ 1 (in '1,x')"],
    ['0', "--concurrency: '0' is not a whole number ≥ 1 (in '0')"],
    ['1.5', "--concurrency: '1.5' is not a whole number ≥ 1 (in '1.5')"],
    [' , ', "--concurrency: ' , ' lists no levels; give e.g. 1,2,4,8"],
    ['1,,2', "--concurrency: '1,,2' has an empty entry; give whole numbers separated by commas, e.g. 1,2,4,8"],
    ['1,2,2', "--concurrency: '1,2,2' repeats level 2; list each level once"],
  ])('rejects %p', (text, message) => {
    expect(() => concurrencyListFlag('--concurrency', text)).toThrow(UserInputError);
    expect(() => concurrencyListFlag('--concurrency', text)).toThrow(message);
  });
});

describe('number flags', () => {
  it('whole numbers: plain digits within the range', () => {
    expect(wholeNumberFlag('--n', ' 12 ')).toBe(12);
    expect(wholeNumberFlag('--n', '0', { min: 0 })).toBe(0);
    expect(() => wholeNumberFlag('--n', '1e3')).toThrow("--n: '1e3' is not a whole number ≥ 1");
    expect(() => wholeNumberFlag('--n', '11', { max: 10 })).toThrow("--n: '11' is not a whole number from 1 to 10");
  });
  it('numbers: decimals within the range, bounds included', () => {
    expect(numberFlag('--r', '0')).toBe(0);
    expect(numberFlag('--r', '1', { max: 1 })).toBe(1);
    expect(numberFlag('--g', '-0.5', { min: -1 })).toBe(-0.5);
    expect(() => numberFlag('--r', '1.01', { max: 1 })).toThrow("--r: '1.01' is not a number from 0 to 1");
    expect(() => numberFlag('--r', '-1')).toThrow("--r: '-1' is not a number ≥ 0");
    expect(() => numberFlag('--r', '')).toThrow(UserInputError);
  });
  it('positive numbers: > 0', () => {
    expect(positiveNumberFlag('--s', '0.001')).toBe(0.001);
    expect(() => positiveNumberFlag('--s', '0')).toThrow("--s: '0' is not a positive number");
  });
});
