import { deploymentInputOf } from '../../lib/benchmark/deployment-input';
import { loadFleetFile, parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { ResolvedFleet } from '../../lib/fleet/types';
import { SCENARIO_DEFAULTS } from '../../lib/results/scenario-schedule';
import { fleetIssues } from '../support/fleet-issues';

/** A fleet of one inference-component deployment (Llama 2 7B, 4 copies of TP 1 on a g5.12xlarge) with `lines` inside it. */
function fleetYaml(lines: string[], defaults: string[] = []): string {
  return [
    'name: scen',
    'defaults:',
    '  acceptEula: true',
    ...defaults.map((l) => `  ${l}`),
    'deployments:',
    '  - id: ic',
    '    model: llama-2-7b',
    '    instanceType: ml.g5.12xlarge',
    '    tp: 1',
    '    copies: 4',
    ...lines.map((l) => `    ${l}`),
  ].join('\n');
}

const AUTOSCALING = ['autoscaling:', '  maxCopies: 4', '  targetValue: 8'];
const ZERO = ['autoscaling:', '  scaleToZero: true', '  maxCopies: 4', '  targetValue: 8'];

function resolve(yaml: string): ResolvedFleet {
  return resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1' });
}

const issuesOf = fleetIssues;

const S = 'deployments[0].benchmark.scenarios';

describe('benchmark.scenarios', () => {
  it('accepts kind names and objects with parameters and their own schedule; the sweep keeps the benchmark schedule', () => {
    const fleet = resolve(
      fleetYaml([
        ...ZERO,
        'benchmark:',
        '  schedule: { cron: "cron(0 6 ? * MON *)", timeZone: UTC }',
        '  scenarios:',
        '    - sweep',
        '    - ramp',
        '    - { kind: spike, to: 12, holdS: 60, schedule: { cron: "cron(0 8 ? * TUE *)", timeZone: Europe/Berlin } }',
        '    - { kind: scale-from-zero, idleS: 20, sloP99LatencyMs: 9000 }',
      ]),
    );
    const b = fleet.deployments[0]?.benchmark;
    expect(b?.schedule).toEqual({ cron: 'cron(0 6 ? * MON *)', timeZone: 'UTC' });
    // `to` unset: half the maximum copies (at least 2) at the policy's target, 2 × 8; scale-from-zero asks for 2 copies' worth.
    expect(b?.scenarios).toEqual([
      { spec: { kind: 'ramp', load: 'concurrency', ...SCENARIO_DEFAULTS.ramp, to: 16 }, schedule: 'off' },
      { spec: { kind: 'spike', load: 'concurrency', ...SCENARIO_DEFAULTS.spike, to: 12, holdS: 60 }, schedule: { cron: 'cron(0 8 ? * TUE *)', timeZone: 'Europe/Berlin' } },
      { spec: { kind: 'scale-from-zero', load: 'concurrency', ...SCENARIO_DEFAULTS['scale-from-zero'], to: 16, idleS: 20, sloP99LatencyMs: 9000 }, schedule: 'off' },
    ]);
    // The state machine carries the specs by kind, not the schedules.
    expect(deploymentInputOf(fleet.deployments[0] as ResolvedFleet['deployments'][number]).scenarios).toEqual({
      ramp: b?.scenarios[0]?.spec,
      spike: b?.scenarios[1]?.spec,
      'scale-from-zero': b?.scenarios[2]?.spec,
    });
  });

  it('sizes the default top from the maximum copies: 8 copies at 16 per copy ask for 4 copies, 64 concurrent requests', () => {
    const fleet = resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' });
    const ic = fleet.deployments.find((d) => d.id === 'llama-2-7b-p4d-ic-8x-tp1');
    expect(ic?.benchmark.scenarios.map((s) => s.spec)).toEqual([{ kind: 'ramp', load: 'concurrency', from: 1, to: 64, overS: 240, holdS: 300, fallS: 120, idleS: 0, sampleS: 5, retryBackoffS: 1 }]);
    // The other deployments declare none and keep the fleet's weekly sweep.
    expect(fleet.deployments.filter((d) => d.benchmark.scenarios.length > 0).map((d) => d.id)).toEqual(['llama-2-7b-p4d-ic-8x-tp1']);
    expect(ic?.benchmark.schedule).toEqual({ cron: 'cron(0 6 ? * MON *)', timeZone: 'UTC' });
  });

  it('ships a scale-to-zero example that declares a sweep, a ramp and a weekly scale from zero', () => {
    const fleet = resolveFleet(loadFleetFile('fleets/examples/scale-to-zero-ic.yaml'), { region: 'us-east-1' });
    const b = fleet.deployments[0]?.benchmark;
    expect(b?.scenarios.map((s) => [s.spec.kind, s.schedule])).toEqual([
      ['ramp', 'off'],
      ['scale-from-zero', { cron: 'cron(0 7 ? * MON *)', timeZone: 'UTC' }],
    ]);
  });

  it('a list without sweep leaves the sweep unscheduled; a sweep entry may carry its own schedule', () => {
    const weekly = ['benchmark:', '  schedule: { cron: "cron(0 6 ? * MON *)", timeZone: UTC }'];
    expect(resolve(fleetYaml([...AUTOSCALING, ...weekly, '  scenarios: [ramp]'])).deployments[0]?.benchmark.schedule).toBe('off');
    const own = resolve(fleetYaml([...AUTOSCALING, ...weekly, '  scenarios: [{ kind: sweep, schedule: { cron: "cron(0 1 * * ? *)", timeZone: UTC } }]']));
    expect(own.deployments[0]?.benchmark.schedule).toEqual({ cron: 'cron(0 1 * * ? *)', timeZone: 'UTC' });
    expect(own.deployments[0]?.benchmark.scenarios).toEqual([]);
  });

  it('takes the fleet default list, naming the deployment when it cannot run it', () => {
    expect(resolve(fleetYaml(AUTOSCALING, ['benchmark:', '  scenarios: [sweep, ramp]'])).deployments[0]?.benchmark.scenarios.map((s) => s.spec.kind)).toEqual(['ramp']);
    expect(issuesOf(fleetYaml([], ['benchmark:', '  scenarios: [ramp]']))).toEqual([
      { path: 'defaults.benchmark.scenarios[0].kind', message: expect.stringMatching(/^ramp measures autoscaling.*no autoscaling block.*\(in ic\)$/) },
    ]);
  });

  it('accepts an open-loop rate entry (requests/s, arrival process, seed) and passes it to the pipeline', () => {
    const fleet = resolve(fleetYaml([...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, load: rate, from: 0.5, to: 6.5, arrival: gamma, burstiness: 0.5, seed: 4 }]']));
    const spec = fleet.deployments[0]?.benchmark.scenarios[0]?.spec;
    expect(spec).toEqual({ kind: 'ramp', ...SCENARIO_DEFAULTS.ramp, load: 'rate', from: 0.5, to: 6.5, arrival: 'gamma', burstiness: 0.5, seed: 4 });
    expect(deploymentInputOf(fleet.deployments[0] as ResolvedFleet['deployments'][number]).scenarios?.ramp).toEqual(spec);
  });

  /** [case, deployment lines, path, message]. */
  const REJECTED: [string, string[], string, RegExp][] = [
    ['unknown kind', ['benchmark:', '  scenarios: [soak]'], `${S}[0]`, /expected a scenario kind \(sweep, ramp, spike, scale-from-zero\)/],
    ['unknown kind in an object', ['benchmark:', '  scenarios: [{ kind: soak }]'], `${S}[0]`, /expected a scenario kind/],
    ['unknown parameter', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, overSeconds: 60 }]'], `${S}[0].overSeconds`, /unknown field \(check the spelling; see fleets\/fleet.schema.json\)/],
    ['empty list', ['benchmark:', '  scenarios: []'], `${S}`, /Too small/],
    ['ramp without autoscaling', ['benchmark:', '  scenarios: [sweep, ramp]'], `${S}[1].kind`, /ramp measures autoscaling, which stays enabled while it runs; this deployment has no autoscaling block/],
    ['spike without autoscaling', ['benchmark:', '  scenarios: [spike]'], `${S}[0].kind`, /spike measures autoscaling/],
    ['scale-from-zero with MinCapacity 1', [...AUTOSCALING, 'benchmark:', '  scenarios: [scale-from-zero]'], `${S}[0].kind`, /scale-from-zero needs an inference component whose autoscaling allows MinCapacity 0 \(autoscaling.scaleToZero: true\); this deployment has MinCapacity 1 copies/],
    ['a kind twice', [...AUTOSCALING, 'benchmark:', '  scenarios: [ramp, { kind: ramp, to: 8 }]'], `${S}[1].kind`, /'ramp' is listed twice \(also \[0\]\); each kind runs once per deployment/],
    ['sweep with parameters', ['benchmark:', '  scenarios: [{ kind: sweep, to: 8 }]'], `${S}[0].to`, /a sweep entry takes only schedule/],
    ['from above to', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, from: 9, to: 4 }]'], `${S}[0].from`, /9 is above to \(4\)/],
    ['a spike that does not start idle', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: spike, from: 2, to: 8 }]'], `${S}[0].from`, /a spike starts idle: from must be 0/],
    ['a rate load without to', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, load: rate }]'], `${S}[0].to`, /a rate load needs `to` \(requests\/s at the top\)/],
    ['an unknown load', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, load: tokens }]'], `${S}[0]`, /or \{ kind, load, from, to, arrival, burstiness, seed,/],
    ['a fractional concurrency', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, to: 2.5 }]'], `${S}[0].to`, /must be a whole number ≥ 1, got 2.5/],
    ['an arrival with a concurrency load', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, arrival: poisson }]'], `${S}[0].arrival`, /applies to load rate only/],
    ['bad cron', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, schedule: { cron: "0 6 * * *", timeZone: UTC } }]'], `${S}[0].schedule.cron`, /expected an EventBridge Scheduler cron, e.g. cron\(0 6 \? \* MON \*\)/],
    ['bad time zone', [...AUTOSCALING, 'benchmark:', '  scenarios: [{ kind: ramp, schedule: { cron: "cron(0 6 ? * MON *)", timeZone: Mars/Olympus } }]'], `${S}[0].schedule.timeZone`, /'Mars\/Olympus' is not an IANA time zone; allowed: tz database names/],
  ];

  it.each(REJECTED)('rejects %s, naming the field and what is allowed', (_name, lines, path, message) => {
    const issues = issuesOf(fleetYaml(lines));
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });
});
