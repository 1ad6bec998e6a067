import { STOP_RULES, evaluateStopRules, firstBadLevel, type StopRuleConfig } from '../../loadtest/sweep/stop-rules';
import { gainPerDoubling } from '../../loadtest/sweep/rules/plateau';
import { level } from '../support/levels';

const cfg: StopRuleConfig = { invocationTimeoutMs: 60_000, maxErrorRate: 0.01, plateauGain: 0.05, latencySloMsPerToken: 100 };

describe('evaluateStopRules', () => {
  it('goes on while throughput rises and nothing fails', () => {
    expect(evaluateStopRules([level(1, 100), level(2, 190)], cfg)).toBeUndefined();
  });
  it.each([
    ['timeout', [level(1, 100), level(2, 150, { errors: { timeout: 1 } })], /1 of 100 requests hit the 60000 ms deadline at c=2/],
    ['timeout', [level(4, 100, { maxE2eMs: 61_000 })], /slowest request took 61000 ms/],
    ['error-rate', [level(8, 100, { errors: { overloaded: 2 } })], /error rate 2.00 % > 1.00 % at c=8 \(overloaded 2\)/],
    ['latency-slo', [level(8, 100, { msPerToken: 120 })], /120.0 ms\/token > SLO 100/],
    ['plateau', [level(16, 1000), level(32, 1030)], /throughput rose 3.0 % when concurrency doubled \(from 1000.0 tokens\/s at c=16 to 1030.0 tokens\/s at c=32\), less than the 5.0 % per doubling/],
  ])('fires %s', (rule, levels, detail) => {
    const reason = evaluateStopRules(levels, cfg);
    expect(reason?.rule).toBe(rule);
    expect(reason?.detail).toMatch(detail);
  });
  it('tolerates transient errors up to the rate', () => {
    expect(evaluateStopRules([level(8, 100, { errors: { overloaded: 1 } })], cfg)).toBeUndefined();
  });
  it('every rule has an id and a description, ids unique', () => {
    expect(STOP_RULES.map((r) => r.id)).toEqual(['timeout', 'error-rate', 'latency-slo', 'slo-attainment', 'plateau']);
    expect(STOP_RULES.every((r) => r.description.length > 10)).toBe(true);
  });
});

describe('plateau: gain per doubling from the actual concurrency ratio', () => {
  it.each([
    // [c1, T1, c2, T2, gain per doubling]
    [16, 1000, 32, 1030, 0.03], // a doubling: its own gain
    [16, 1000, 24, 1030, 1.03 ** (1 / Math.log2(1.5)) - 1], // +3 % over ×1.5 compounds to +5.2 % per doubling
    [12, 1000, 13, 750, 0.75 ** (1 / Math.log2(13 / 12)) - 1], // −25 % over ×1.083 is −91.7 % per doubling, not −218.6 %
    [8, 1000, 32, 1000, 0], // flat over two doublings
    [4, 1000, 16, 4000, 1], // ×4 over two doublings is +100 % per doubling
  ])('c=%i at %i → c=%i at %i tokens/s', (c1, t1, c2, t2, expected) => {
    expect(gainPerDoubling({ concurrency: c1, tokensPerS: t1 }, { concurrency: c2, tokensPerS: t2 })).toBeCloseTo(expected, 10);
  });

  it('never reports a loss above 100 % per doubling from a one-step difference', () => {
    expect(gainPerDoubling({ concurrency: 12, tokensPerS: 1000 }, { concurrency: 13, tokensPerS: 750 })).toBeCloseTo(-0.9172, 4);
    expect(gainPerDoubling({ concurrency: 12, tokensPerS: 1000 }, { concurrency: 13, tokensPerS: 0 })).toBe(-1);
  });

  it('judges a bisection step per doubling: +3 % from 16 to 24 is 5.2 % per doubling, enough', () => {
    expect(evaluateStopRules([level(16, 1000), level(24, 1030)], cfg)).toBeUndefined();
  });

  it('says in words what a bisection step did', () => {
    expect(evaluateStopRules([level(12, 1000), level(13, 750)], cfg)).toEqual({
      rule: 'plateau',
      detail:
        'throughput fell 25.0 % from 1000.0 tokens/s at c=12 to 750.0 tokens/s at c=13, which is a loss of 91.7 % per doubling of concurrency, ' +
        'less than the 5.0 % required to go on',
    });
    expect(evaluateStopRules([level(16, 1000), level(24, 1010)], cfg)?.detail).toBe(
      'throughput rose 1.0 % from 1000.0 tokens/s at c=16 to 1010.0 tokens/s at c=24, which is a gain of 1.7 % per doubling of concurrency, ' +
        'less than the 5.0 % required to go on',
    );
    expect(evaluateStopRules([level(16, 1000), level(32, 1000)], cfg)?.detail).toMatch(/^throughput did not change when concurrency doubled/);
  });
});

describe('firstBadLevel', () => {
  it('judges each level against the levels below it and returns the lowest that breaks a rule', () => {
    // 6 is judged a whole doubling back, against 2: +5.3 % over log2(3) doublings = 3.3 % per doubling.
    const levels = [level(8, 360), level(1, 100), level(4, 350), level(2, 190), level(6, 200)];
    const bad = firstBadLevel(levels, cfg);
    expect(bad).toMatchObject({ index: 3, concurrency: 6, reason: { rule: 'plateau' } });
  });
  it('is undefined when every level passes', () => {
    expect(firstBadLevel([level(1, 100), level(2, 200)], cfg)).toBeUndefined();
  });
});
