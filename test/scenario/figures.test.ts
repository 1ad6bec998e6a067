import { UserInputError } from '../../lib/errors';
import { capacityOfDescription, deriveScenarioFigures, type ScenarioSample } from '../../lib/results/scenario';
import { offeredAt, scenarioDurationS, scenarioSpec } from '../../lib/results/scenario-schedule';

const sample = (tS: number, copies: number, errors: ScenarioSample['errors'] = {}, p99?: number): ScenarioSample => ({
  tS,
  offeredConcurrency: 1,
  achievedConcurrency: 1,
  completed: 1,
  ok: 1,
  tokensPerS: 1,
  errors,
  copiesInService: copies,
  instancesInService: 1,
  ...(p99 !== undefined ? { latencyP99Ms: p99 } : {}),
});

describe('scenario figures', () => {
  it('times added capacity from the first SLO breach or trigger, whichever came first', () => {
    const spec = scenarioSpec('ramp', { to: 32, sloP99LatencyMs: 10_000, sampleS: 10 });
    const figures = deriveScenarioFigures({
      spec,
      samples: [sample(0, 1, {}, 5_000), sample(10, 1, {}, 12_000), sample(20, 1, { throttled: 1 }), sample(30, 2), sample(40, 3)],
      capacityChanges: [
        { atS: 34, copies: 2 },
        { atS: 45, copies: 3 },
      ],
      activities: [{ startS: 15, endS: 45, statusCode: 'Successful', description: 'Setting desired copy count to 3.', cause: 'AlarmHigh', toCapacity: 3 }],
      requests: [
        { sentS: 1, endS: 5 },
        { sentS: 12, endS: 14, error: 'throttled' },
        { sentS: 21, endS: 22, error: 'timeout' },
        { sentS: 50, endS: 51, error: 'timeout' },
      ],
      startCapacity: 1,
      hourlyUsd: 36,
      durationS: 50,
    });
    expect(figures).toMatchObject({
      triggerAtS: 15,
      sloBreachAtS: 10, // p99 12 s > 10 s in the window at 10 s, before the trigger at 15 s
      firstAddedCapacityAtS: 34,
      fullCapacityAtS: 45,
      timeToFirstAddedCapacityS: 24,
      timeToFullCapacityS: 35,
      startCapacity: 1,
      peakCapacity: 3,
      failedDuringScaling: 2, // sent in [10, 45]
      throttledDuringScaling: 1,
      requests: 4,
      ok: 1,
      failedByKind: { throttled: 1, timeout: 2 },
    });
    // 1 instance for 50 s at $36/h.
    expect(figures.costUsd).toBeCloseTo(0.5, 6);
  });

  it('cold start: first request after scale to zero to the first success', () => {
    const spec = scenarioSpec('scale-from-zero', { to: 4, idleS: 5 });
    const figures = deriveScenarioFigures({
      spec,
      samples: [sample(0, 0), sample(5, 0, { no_capacity: 3 }), sample(100, 1)],
      capacityChanges: [{ atS: 95, copies: 1 }],
      activities: [{ startS: 35, endS: 95, statusCode: 'Successful', description: 'Setting desired copy count to 1.', cause: 'NoCapacityInvocationFailures', toCapacity: 1 }],
      requests: [
        { sentS: 5, endS: 5.1, error: 'no_capacity' },
        { sentS: 6.1, endS: 6.2, error: 'no_capacity' },
        { sentS: 96, endS: 101 },
      ],
      startCapacity: 0,
      hourlyUsd: 0,
      durationS: 110,
    });
    expect(figures.coldStartS).toBeCloseTo(96, 6);
    expect(figures.noCapacityFailures).toBe(2);
    expect(figures.timeToFirstAddedCapacityS).toBe(90); // breach (errors) at 5 s → copy at 95 s
  });

  it('reads the capacity an activity set from its description', () => {
    expect(capacityOfDescription('Setting desired copy count to 3.')).toBe(3);
    expect(capacityOfDescription('Setting desired instance count to 12.')).toBe(12);
    expect(capacityOfDescription('something else')).toBeUndefined();
  });
});

describe('scenario schedules', () => {
  it('ramp rises, holds and falls', () => {
    const spec = scenarioSpec('ramp', { from: 2, to: 10, overS: 100, holdS: 50, fallS: 40 });
    expect(scenarioDurationS(spec)).toBe(190);
    expect([0, 50, 100, 149, 170, 189].map((t) => offeredAt(spec, t))).toEqual([2, 6, 10, 10, 6, 2]);
  });

  it('spike is idle, then the top at once; scale-from-zero idles, then ramps from its first request', () => {
    const spike = scenarioSpec('spike', { to: 20, idleS: 30, holdS: 60 });
    expect([0, 29, 30, 89].map((t) => offeredAt(spike, t))).toEqual([0, 0, 20, 20]);
    const zero = scenarioSpec('scale-from-zero', { to: 9, idleS: 10, overS: 80 });
    expect([0, 9, 10, 50, 90].map((t) => offeredAt(zero, t))).toEqual([0, 0, 1, 5, 9]);
  });

  it('names the field and what is allowed', () => {
    expect(() => scenarioSpec('soak', { to: 1 })).toThrow(/'soak' is not a scenario; allowed: ramp, spike, scale-from-zero/);
    expect(() => scenarioSpec('ramp', { to: 4, from: 8 })).toThrow(UserInputError);
    expect(() => scenarioSpec('ramp', { to: 4, from: 8 })).toThrow(/from: 8 is above to \(4\)/);
    expect(() => scenarioSpec('spike', { to: 4, from: 1 })).toThrow(/from: a spike starts idle/);
    expect(() => scenarioSpec('ramp', { to: 4, sampleS: 0 })).toThrow(/sampleS: must be a number of seconds > 0/);
  });
});
