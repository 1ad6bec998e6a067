import '../../loadtest/offline/polyfill';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { extractStateMachine, type CfnTemplate } from '../../loadtest/offline/definition';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { FLEET } from './fixture-fleet';

/**
 * The IN_SERVICE launcher, executed locally: StartExecution is bound to a fake Step Functions that,
 * like the real one, refuses a second execution with the same name.
 */
describe('endpoint IN_SERVICE launcher', () => {
  const app = new App(OFFLINE_APP_PROPS);
  const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
  new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const launcher = extractStateMachine(template, { region: 'us-east-1', account: '123456789012', startAt: 'StartSweep', stepEnv: 'LLM_BENCH_STEP' });

  const started: { name: string; input: unknown }[] = [];
  async function deliver(event: unknown): Promise<unknown> {
    const machine = new StateMachine(launcher.definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false, checkPaths: false } });
    const execution = machine.run(event as never, {
      overrides: {
        taskResourceLocalHandlers: {
          StartSweep: async (params) => {
            const { Name, Input } = params as { Name: string; Input: unknown };
            if (started.some((s) => s.name === Name)) {
              const error = new Error(`Execution Already Exists: '${Name}'`);
              error.name = 'StepFunctions.ExecutionAlreadyExistsException';
              throw error;
            }
            started.push({ name: Name, input: Input });
            return { ExecutionArn: `arn:aws:states:::execution:${Name}` };
          },
        },
      },
    });
    return execution.result;
  }

  const event = (lastModified: number) => ({
    source: 'aws.sagemaker',
    'detail-type': 'SageMaker Endpoint State Change',
    detail: { EndpointName: 'llm-bench-llama-2-7b-g5-2xlarge', EndpointStatus: 'IN_SERVICE', LastModifiedTime: lastModified, CreationTime: 1 },
  });

  it('starts one sweep per endpoint version; a duplicated event is ignored', async () => {
    await deliver(event(1764200000000));
    await deliver(event(1764200000000));
    expect(started).toHaveLength(1);
    expect(started[0].name).toMatch(/^in-service-[0-9a-f]{40}$/);
    expect(started[0].input).toMatchObject({ endpointName: 'llm-bench-llama-2-7b-g5-2xlarge', trigger: 'endpoint-in-service' });
    await deliver(event(1764300000000)); // the endpoint was updated: a new version, a new sweep
    expect(started).toHaveLength(2);
    expect(started[1].name).not.toBe(started[0].name);
  });
});
