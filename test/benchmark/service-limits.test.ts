import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BenchmarkPipeline, type PipelineFleet } from '../../lib/benchmark';
import { INLINE_MAP_MAX_CONCURRENCY, LAMBDA_MAX_TIMEOUT_S } from '../../lib/benchmark/service-limits';
import { extractStateMachine, type CfnTemplate } from '../../loadtest/offline/definition';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { DEFAULT_SETTLE } from '../../loadtest/telemetry';
import { BENCHMARK, deployment } from './fixture-fleet';

function synth(fleet: PipelineFleet): CfnTemplate {
  const stack = new Stack(new App(OFFLINE_APP_PROPS), 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
  new BenchmarkPipeline(stack, 'Benchmark', { fleet });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

const definitionOf = (template: CfnTemplate) => extractStateMachine(template, { region: 'us-east-1', account: '123456789012', startAt: 'SelectDeployment', stepEnv: 'LLM_BENCH_STEP' }).definition;

function functionOf(template: CfnTemplate, step: string): { Timeout: number } {
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.LLM_BENCH_STEP === step);
  return fn?.Properties as { Timeout: number };
}

describe('the service limits the pipeline is built within', () => {
  it('are Lambda 900 s (configuration-timeout.html) and 40 iterations of an inline Map (state-map-inline.html)', () => {
    expect(LAMBDA_MAX_TIMEOUT_S).toBe(900);
    expect(INLINE_MAP_MAX_CONCURRENCY).toBe(40);
  });

  it('a level of 40 workers stays in an inline Map, 41 need a Distributed Map; a worker longer than Lambda allows is capped at 900 s', () => {
    const inline = synth({ name: 'inline', deployments: [deployment('forty', { benchmark: { ...BENCHMARK, workers: INLINE_MAP_MAX_CONCURRENCY } })] });
    const runLevel = definitionOf(inline).States.RunLevel;
    expect(runLevel?.Type).toBe('Map');
    expect((runLevel?.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined)?.Mode ?? 'INLINE').toBe('INLINE');
    const wide = synth({ name: 'wide', deployments: [deployment('long', { benchmark: { ...BENCHMARK, workers: INLINE_MAP_MAX_CONCURRENCY + 1, durationS: 1200 } })] });
    const definition = definitionOf(wide);
    expect(definition.States.RunLevel?.ItemProcessor?.ProcessorConfig).toMatchObject({ Mode: 'DISTRIBUTED' });
    expect(functionOf(wide, 'run-worker').Timeout).toBe(LAMBDA_MAX_TIMEOUT_S);
    // Every Lambda task waits a minute beyond the longest a function may run.
    expect(definition.States.DescribeEndpoint?.TimeoutSeconds).toBe(LAMBDA_MAX_TIMEOUT_S + 60);
  });

  it("gives the steps that wait for CloudWatch's last period that wait on top of their work (merge-level, scenario-finish)", () => {
    const template = synth({ name: 'settle', deployments: [deployment('one', { benchmark: BENCHMARK })] });
    expect(DEFAULT_SETTLE.maxWaitS).toBe(180);
    expect(functionOf(template, 'merge-level').Timeout).toBe(300 + DEFAULT_SETTLE.maxWaitS);
    expect(functionOf(template, 'merge-level').Timeout).toBeLessThanOrEqual(LAMBDA_MAX_TIMEOUT_S);
  });
});
