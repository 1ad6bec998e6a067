import { nextAdaptiveLevel } from '../../loadtest/sweep/adaptive';
import { evaluateStopRules, type StopRuleConfig } from '../../loadtest/sweep/stop-rules';
import { level } from '../support/levels';

const cfg: StopRuleConfig = { invocationTimeoutMs: 60_000, maxErrorRate: 0.01, plateauGain: 0.05, latencySloMsPerToken: 100 };

describe('evaluateStopRules', () => {
  it('goes on while throughput rises and nothing fails', () => {
    expect(evaluateStopRules([level(1, 100), level(2, 190)], cfg)).toEqual({ stop: false });
  });
  it.each([
    ['timeout', [level(1, 100), level(2, 150, { errors: { timeout: 1 } })], /1 of 100 requests hit the 60000 ms deadline at c=2/],
    ['timeout', [level(4, 100, { maxE2eMs: 61_000 })], /slowest request took 61000 ms/],
    ['error-rate', [level(8, 100, { errors: { overloaded: 2 } })], /error rate 2.00 % > 1.00 % at c=8 \(overloaded 2\)/],
    ['latency-slo', [level(8, 100, { msPerToken: 120 })], /120.0 ms\/token > SLO 100/],
    ['plateau', [level(16, 1000), level(32, 1030)], /3.0 % per doubling < 5.0 %/],
  ])('fires %s', (rule, levels, detail) => {
    const decision = evaluateStopRules(levels, cfg);
    expect(decision).toMatchObject({ stop: true, rule });
    if (decision.stop) expect(decision.detail).toMatch(detail);
  });
  it('tolerates transient errors up to the rate', () => {
    expect(evaluateStopRules([level(8, 100, { errors: { overloaded: 1 } })], cfg)).toEqual({ stop: false });
  });
  it('judges a bisection step per doubling: +3 % from 16 to 24 is 5.1 % per doubling', () => {
    expect(evaluateStopRules([level(16, 1000), level(24, 1030)], cfg)).toEqual({ stop: false });
  });
});

describe('nextAdaptiveLevel', () => {
  const adaptive = { maxConcurrency: 64, stopRules: cfg };
  it('starts at 1 and doubles while no rule fires', () => {
    expect(nextAdaptiveLevel([], adaptive)).toBe(1);
    expect(nextAdaptiveLevel([level(1, 100), level(2, 200), level(4, 390)], adaptive)).toBe(8);
  });
  it('stops at the highest allowed level', () => {
    expect(nextAdaptiveLevel([level(32, 100)], adaptive)).toBe(64);
    expect(nextAdaptiveLevel([level(32, 100), level(64, 200)], adaptive)).toBeUndefined();
  });
  it('bisects between the last good and the first bad level until they are adjacent', () => {
    const good = [level(1, 100), level(2, 200), level(4, 400), level(8, 800)];
    const bad16 = level(16, 900, { errors: { timeout: 3 } });
    expect(nextAdaptiveLevel([...good, bad16], adaptive)).toBe(12);
    expect(nextAdaptiveLevel([...good, bad16, level(12, 850, { errors: { timeout: 1 } })], adaptive)).toBe(10);
    expect(nextAdaptiveLevel([...good, bad16, level(12, 1000)], adaptive)).toBe(14);
    expect(nextAdaptiveLevel([...good, level(9, 820, { errors: { timeout: 1 } })], adaptive)).toBeUndefined();
  });
  it('ends when level 1 already fails', () => {
    expect(nextAdaptiveLevel([level(1, 0, { errors: { network: 100 } })], adaptive)).toBeUndefined();
  });
});
