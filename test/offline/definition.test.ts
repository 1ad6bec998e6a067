import { bindTasks } from '../../loadtest/offline/bind-tasks';
import { extractStateMachine, localizeDefinition, placeholderLambdaArn, resolveIntrinsics, type CfnTemplate } from '../../loadtest/offline/definition';
import { formatSummaryTable } from '../../loadtest/offline/summary-table';
import { SWEEP_RESULT_VERSION, type SweepResult } from '../../lib/results/records';
import { level } from '../pipeline/records-fixture';

const TEMPLATE: CfnTemplate = {
  Resources: {
    WorkerFn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { LLM_BENCH_STEP: 'run-worker' } } } },
    Topic: { Type: 'AWS::SNS::Topic' },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"SelectDeployment","States":{"SelectDeployment":{"Type":"Pass","Next":"Fan"},"Fan":{"Type":"Map","End":true,"ItemsPath":"$.items",',
              '"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{"Work":{"Type":"Task","End":true,"Resource":"',
              { 'Fn::GetAtt': ['WorkerFn', 'Arn'] },
              '"}}},"Label":"Fan"},"Notify":{"Type":"Task","End":true,"Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::sns:publish","Parameters":{"TopicArn":"',
              { Ref: 'Topic' },
              '"}}}}',
            ],
          ],
        },
      },
    },
  },
};

describe('definition extraction', () => {
  it('resolves Fn::Join, Fn::GetAtt of functions into placeholder ARNs, and pseudo parameters', () => {
    expect(resolveIntrinsics({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] }, TEMPLATE, 'eu-west-1', '111')).toBe('a-eu-west-1-111');
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['WorkerFn', 'Arn'] }, TEMPLATE, 'us-east-1', '1')).toBe(placeholderLambdaArn('WorkerFn', 'us-east-1', '1'));
    expect(() => resolveIntrinsics({ 'Fn::If': [] }, TEMPLATE, 'r', 'a')).toThrow('unsupported intrinsic');
  });

  it('maps function ARNs to steps, runs Distributed Map inline and binds tasks (non-Lambda tasks to no-ops)', async () => {
    const machine = extractStateMachine(TEMPLATE, { region: 'us-east-1', account: '1', startAt: 'SelectDeployment', stepEnv: 'LLM_BENCH_STEP' });
    expect([...machine.stepByArn.values()]).toEqual(['run-worker']);
    const local = localizeDefinition(machine.definition);
    expect(local.States.Fan.ItemProcessor?.ProcessorConfig).toBeUndefined();
    expect(local.States.Fan.Label).toBeUndefined();
    expect(machine.definition.States.Fan.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const bound = bindTasks(machine, local, { 'run-worker': async (input) => ({ ran: input }) });
    expect(Object.keys(bound).sort()).toEqual(['Notify', 'Work']);
    expect(await bound.Work({ a: 1 })).toEqual({ ran: { a: 1 } });
    expect(await bound.Notify({})).toEqual({});
    expect(() => bindTasks(machine, local, {})).toThrow("no local handler for step 'run-worker'");
  });

  it('fails clearly when no state machine starts at the expected state', () => {
    expect(() => extractStateMachine(TEMPLATE, { region: 'r', account: 'a', startAt: 'Nope', stepEnv: 'X' })).toThrow("starting at 'Nope'");
  });
});

describe('formatSummaryTable', () => {
  it('prints one row per level and the headline figures', () => {
    const sweep: SweepResult = {
      schemaVersion: SWEEP_RESULT_VERSION,
      label: 'x',
      startedAt: '2026-11-27T00:00:00Z',
      target: { kind: 'sagemaker', address: 'e' },
      payload: { inputTokens: 256, outputTokens: 256 },
      levels: [level(1, 33), level(2, 34)],
      maxThroughput: { concurrency: 2, tokensPerS: 123.4 },
      knee: { concurrency: 2, rule: 'latency-bound', detail: 'p50 ms/token < 100' },
      stopReason: { rule: 'completed', detail: 'every listed level measured (c = 1, 2)' },
    };
    const lines = formatSummaryTable(sweep).split('\n');
    expect(lines[0]).toMatch(/^concurrency\s+requests\s+errors\s+tokens\/s/);
    expect(lines[2]).toMatch(/^1\s+2\s+0\s+\d+\s+33\.0/);
    expect(lines).toContain('  max throughput 123 tokens/s at c=2');
    expect(lines).toContain('  knee c=2 (latency-bound: p50 ms/token < 100)');
    expect(lines).toContain('  stopped: completed: every listed level measured (c = 1, 2)');
  });
});
