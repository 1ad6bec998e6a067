import { planWithCurve } from '../../lib/planner/plan-curve';
import { reproduceConfiguration, studyConfigurations } from '../../loadtest/reproduce';

/** `plan` and `reproduce` predict the same deployment the same way: one code path, every study configuration. */
describe('plan and reproduce agree', () => {
  const levels = [1, 16];

  it.each(studyConfigurations().map((c) => [c.id, c] as const))('%s', (_id, config) => {
    const reproduced = reproduceConfiguration(config, levels);
    const plan = planWithCurve({
      model: config.model,
      instance: config.instance,
      tp: config.tp,
      instances: config.instances,
      inputTokens: config.payload.inputTokens,
      outputTokens: config.payload.outputTokens,
      concurrency: levels,
    });
    expect(reproduced.fits).toBe(plan.curveSkippedReason === undefined);
    if (!reproduced.fits) return;
    expect(reproduced.prediction?.curve).toEqual(plan.curve);
    expect(reproduced.prediction?.maxFeasibleConcurrency).toEqual(plan.maxFeasibleConcurrency);
    expect(reproduced.prediction?.maxThroughput).toEqual(plan.maxThroughput);
  });
});
