import '../../loadtest/offline/polyfill';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { VARIANT_INSTANCE_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { startLocalEndpoint } from '../../loadtest/local';
import { AWS_LIKE_TIMINGS } from '../../loadtest/local/control-plane/lifecycle-timings';
import { manualClock } from '../../loadtest/local/control-plane/timeline';
import { extractStateMachine, type CfnTemplate } from '../../loadtest/offline/definition';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { FLEET } from './fixture-fleet';
import { matchesEventPattern } from '../../loadtest/local/judges/event-pattern';
import { documentedEndpointInServiceEvent } from './sagemaker-sample-events';

/**
 * The IN_SERVICE launcher, executed locally: StartExecution is bound to a fake Step Functions that,
 * like the real one, starts nothing for a name it has seen (a running execution with the same name
 * and input: the same execution; otherwise ExecutionAlreadyExists:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 * DescribeEndpoint (when the event lacks EndpointConfigName) goes to the local control plane through
 * the real SDK client.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ENDPOINT = 'llm-bench-llama-2-7b-g5-2xlarge';

const app = new App(OFFLINE_APP_PROPS);
const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
const template = Template.fromStack(stack).toJSON() as CfnTemplate;
const launcher = extractStateMachine(template, { region: 'us-east-1', account: '123456789012', startAt: 'EventNamesConfig?', stepEnv: 'LLM_BENCH_STEP' });
const rule = Object.values(template.Resources).find((r) => r.Type === 'AWS::Events::Rule');
const pattern = rule?.Properties?.EventPattern as Record<string, unknown>;

/** EventBridge matching (the event judge, tested on EventBridge's documented examples). */
const matches = matchesEventPattern;

class FakeStepFunctions {
  readonly started: { name: string; input: unknown }[] = [];
  readonly running = new Set<string>();
  start(name: string, input: unknown): { ExecutionArn: string } {
    const seen = this.started.find((s) => s.name === name);
    if (seen && this.running.has(name) && JSON.stringify(seen.input) === JSON.stringify(input)) return { ExecutionArn: `arn:aws:states:::execution:${name}` };
    if (seen) {
      const error = new Error(`Execution Already Exists: '${name}'`);
      error.name = 'StepFunctions.ExecutionAlreadyExistsException';
      throw error;
    }
    this.started.push({ name, input });
    this.running.add(name);
    return { ExecutionArn: `arn:aws:states:::execution:${name}` };
  }
}

async function deliver(sfnFake: FakeStepFunctions, event: unknown, sagemaker?: SageMakerClient): Promise<unknown> {
  const machine = new StateMachine(launcher.definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false, checkPaths: false } });
  const execution = machine.run(event as never, {
    overrides: {
      taskResourceLocalHandlers: {
        StartSweep: async (params) => {
          const { Name, Input } = params as { Name: string; Input: unknown };
          return sfnFake.start(Name, Input);
        },
        DescribeEndpoint: async (params) => {
          if (sagemaker === undefined) throw new Error('DescribeEndpoint called without a control plane');
          const { EndpointName } = params as { EndpointName: string };
          const out = await sagemaker.send(new DescribeEndpointCommand({ EndpointName }));
          return { EndpointName: out.EndpointName, EndpointConfigName: out.EndpointConfigName, EndpointStatus: out.EndpointStatus } as never;
        },
      },
    },
  });
  return execution.result;
}

describe('endpoint IN_SERVICE launcher', () => {
  it("AWS's documented sample event, with and without LastModifiedTime, starts exactly one sweep", async () => {
    for (const withLastModified of [true, false]) {
      const sfnFake = new FakeStepFunctions();
      const event = documentedEndpointInServiceEvent(ENDPOINT, { withLastModified });
      expect(matches(pattern, event)).toBe(true);
      await deliver(sfnFake, event);
      await deliver(sfnFake, event); // "SageMaker AI may send multiple events ... for each state change"
      expect(sfnFake.started).toHaveLength(1);
      expect(sfnFake.started[0]?.name).toMatch(/^in-service-[0-9a-f]{40}$/);
      expect(sfnFake.started[0]?.input).toEqual({ endpointName: ENDPOINT, trigger: 'endpoint-in-service' });
    }
    // Same endpoint configuration → same execution name, whatever LastModifiedTime says.
    const a = new FakeStepFunctions();
    await deliver(a, documentedEndpointInServiceEvent(ENDPOINT, { withLastModified: true }));
    const b = new FakeStepFunctions();
    await deliver(b, documentedEndpointInServiceEvent(ENDPOINT, { withLastModified: false }));
    expect(a.started[0]?.name).toBe(b.started[0]?.name);
    // A deploy that changes the endpoint gives it a new configuration: a new sweep.
    await deliver(a, documentedEndpointInServiceEvent(ENDPOINT, { withLastModified: true, endpointConfigName: 'MyEndpointConfig-v2' }));
    expect(a.started).toHaveLength(2);
  });

  it('an autoscaling Updating → InService cycle during a sweep starts no second sweep; an event without EndpointConfigName asks DescribeEndpoint', async () => {
    const clock = manualClock();
    const endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      endpointName: ENDPOINT,
      controlPlane: {
        clock: clock.now,
        lifecycle: 'aws-like',
        scalableTargets: [{ resourceId: `endpoint/${ENDPOINT}/variant/AllTraffic`, scalableDimension: VARIANT_INSTANCE_DIMENSION, minCapacity: 1, maxCapacity: 4 }],
      },
    });
    const sagemaker = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const sfnFake = new FakeStepFunctions();
      const world = endpoint.controlPlane.world;
      let delivered = 0;
      const deliverNew = async (): Promise<void> => {
        const events = world.stateChangeEvents();
        for (const event of events.slice(delivered)) if (matches(pattern, event)) await deliver(sfnFake, event, sagemaker);
        delivered = events.length;
      };
      clock.advance(AWS_LIKE_TIMINGS.endpointCreateMs);
      await deliverNew();
      expect(sfnFake.started).toHaveLength(1); // the deploy's sweep, now running

      // The sweep's load makes the autoscaler add instances (twice), then one update rolls back.
      const scale = (n: number) => endpoint.controlPlane.autoScaling.scale(`endpoint/${ENDPOINT}/variant/AllTraffic`, VARIANT_INSTANCE_DIMENSION, n, 'target tracking: ConcurrentRequestsPerModel above target');
      scale(2);
      clock.advance(AWS_LIKE_TIMINGS.endpointUpdateMs);
      scale(3);
      clock.advance(AWS_LIKE_TIMINGS.endpointUpdateMs);
      world.rollBackNextUpdates(1);
      scale(4);
      clock.advance(AWS_LIKE_TIMINGS.endpointUpdateMs + AWS_LIKE_TIMINGS.rollbackMs);
      await deliverNew();
      const statuses = world.stateChangeEvents().map((e) => e.detail.EndpointStatus);
      expect(statuses).toEqual(['CREATING', 'IN_SERVICE', 'UPDATING', 'IN_SERVICE', 'UPDATING', 'IN_SERVICE', 'UPDATING', 'ROLLING_BACK', 'IN_SERVICE']);
      expect(sfnFake.started).toHaveLength(1);

      // After the sweep ended: an event without the optional EndpointConfigName still maps to the same version.
      sfnFake.running.clear();
      const last = world.stateChangeEvents().at(-1);
      const { EndpointConfigName: _omitted, LastModifiedTime: _alsoOmitted, ...detail } = last?.detail ?? ({} as never);
      await deliver(sfnFake, { ...last, detail }, sagemaker);
      expect(sfnFake.started).toHaveLength(1);
    } finally {
      sagemaker.destroy();
      await endpoint.close();
    }
  });
});
