import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BenchmarkPipeline, type PipelineFleet } from '../../lib/benchmark';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { extractStateMachine, type CfnTemplate } from '../../loadtest/offline/definition';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { BENCHMARK, deployment, FLEET } from './fixture-fleet';

function synth(fleet: PipelineFleet = FLEET, nag = false): { app: App; stack: Stack; template: Template } {
  const app = new App(OFFLINE_APP_PROPS);
  const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
  new BenchmarkPipeline(stack, 'Benchmark', { fleet, notifications: true });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: nag ? (undefined as unknown as Template) : Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function statements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

function actionsOf(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

describe('BenchmarkPipeline', () => {
  const { template } = synth();

  it('results bucket: encrypted, SSL only, public access blocked, versioned, lifecycle, access logs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 90 } })]) },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'results/' }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('seven Node.js 22 functions, one per step, traced, the worker sized for many streams', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const steps = Object.values(functions).map((f) => (f as { Properties: { Environment: { Variables: Record<string, string> } } }).Properties.Environment.Variables.LLM_BENCH_STEP);
    expect(steps.sort()).toEqual(['decide-next', 'describe-endpoint', 'fleet-report', 'merge-level', 'plan-levels', 'report', 'run-worker', 'scaling']);
    for (const f of Object.values(functions)) {
      expect((f as { Properties: { Runtime: string } }).Properties.Runtime).toBe('nodejs22.x');
      expect((f as { Properties: { TracingConfig: unknown } }).Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 3538,
      Timeout: 240, // 60 s window + 2 × 60 s deadline + 60 s margin
      Environment: { Variables: Match.objectLike({ LLM_BENCH_STEP: 'run-worker', RESULTS_BUCKET: Match.anyValue() }) },
    });
  });

  it('state machine: logging ALL and tracing on; every task retries throttling and is caught into the partial report', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: Match.absent(),
      StateMachineName: 'LlmBench-test-fleet-sweep',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
    const { definition } = extractStateMachine(template.toJSON() as CfnTemplate, { region: 'us-east-1', account: '123456789012', startAt: 'SelectDeployment', stepEnv: 'LLM_BENCH_STEP' });
    const states = definition.States;
    expect(states.WaitForEndpoint).toMatchObject({ Type: 'Wait', Seconds: 30, Next: 'DescribeEndpoint' });
    expect(states.RunLevel).toMatchObject({ Type: 'Map', ItemsPath: '$.sweep.workers', MaxConcurrencyPath: '$.sweep.workerCount', Next: 'MergeLevel' });
    expect(states['SweepDone?']).toMatchObject({ Type: 'Choice', Default: 'RunLevel' });
    expect(states['Use llama-2-7b-g5-2xlarge']).toMatchObject({ Type: 'Pass', ResultPath: '$.deployment', Result: { endpointName: 'llm-bench-llama-2-7b-g5-2xlarge' } });
    // Every failure (a task timeout, States.Timeout, is in States.ALL) restores scaling, then writes the partial report.
    for (const name of ['DescribeEndpoint', 'PinLayout', 'PlanLevels', 'WarmUp', 'DecideNext', 'MergeLevel', 'RestoreScaling', 'Report', 'RunLevel']) {
      expect(states[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${name}Failed` }]);
      expect(states[`${name}Failed`]).toMatchObject({ Type: 'Pass', Result: name, ResultPath: '$.failedStep', Next: 'RestoreScalingAfterFailure' });
    }
    expect(states.RestoreScalingAfterFailure).toMatchObject({ Next: 'PartialReport', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.restoreError', Next: 'PartialReport' }] });
    expect(states.RestoreScalingAfterFailure.Parameters).toEqual({ action: 'restore', 'state.$': '$' });
    // Ready once → pin the layout; ready again after pinning → plan; done → restore scaling → report.
    expect(states['EndpointInService?']).toMatchObject({ Default: 'WaitForEndpoint', Choices: [expect.objectContaining({ Next: 'PlanLevels' }), expect.objectContaining({ Next: 'PinLayout' })] });
    expect(states.PinLayout).toMatchObject({ Next: 'DescribeEndpoint', ResultPath: '$.scaling' });
    expect((states.PinLayout.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals)).toEqual(expect.arrayContaining(['ScalableTargetNotRegistered', 'LayoutBusy']));
    expect(states['SweepDone?']).toMatchObject({ Choices: [expect.objectContaining({ Next: 'RestoreScaling' })] });
    expect(states.RestoreScaling).toMatchObject({ Next: 'Report' });
    for (const name of ['DescribeEndpoint', 'PlanLevels', 'WarmUp', 'DecideNext', 'MergeLevel', 'Report', 'PartialReport']) {
      const retry = states[name].Retry as { ErrorEquals: string[]; BackoffRate: number }[];
      expect(retry.flatMap((r) => r.ErrorEquals)).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
      expect(retry.every((r) => r.BackoffRate === 2)).toBe(true);
      expect(states[name].TimeoutSeconds).toBe(960);
    }
    // After either report the fleet report is rebuilt, best effort: its failure still ends the sweep as it would.
    expect(states.PartialReport.Next).toBe('FleetReportAfterFailure');
    expect(states.FleetReportAfterFailure.Next).toBe('NotifyFailure');
    expect(states.Report.Next).toBe('FleetReport');
    expect(states.FleetReport.Next).toBe('NotifySuccess');
    for (const [name, then] of [['FleetReport', 'NotifySuccess'], ['FleetReportAfterFailure', 'NotifyFailure']]) {
      expect(states[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.fleetReportError', Next: then }]);
    }
    expect(states.NotifyFailure.Next).toBe('SweepFailed');
    // Notifications are best effort: retried, and a failed publish still ends the sweep as it would.
    for (const [name, end] of [['NotifyFailure', 'SweepFailed'], ['NotifySuccess', 'SweepSucceeded']]) {
      expect(states[name].Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 3 })]);
      expect(states[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.notifyError', Next: end }]);
    }
  });

  it('EventBridge rule: IN_SERVICE of the fleet’s endpoints → the idempotent launcher', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Endpoint State Change'],
        detail: { EndpointStatus: ['IN_SERVICE'], EndpointName: ['llm-bench-llama-2-7b-g5-2xlarge', 'llm-bench-llama-2-7b-p4d-ic'] },
      },
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS', TracingConfiguration: { Enabled: true } });
    const launcher = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineType: 'EXPRESS' } }))[0];
    const text = JSON.stringify(launcher);
    expect(text).toContain('States.Hash(States.Format(');
    // Named by endpoint configuration (stable across autoscaling updates); LastModifiedTime is optional and unused.
    expect(text).toContain('$.detail.EndpointConfigName');
    expect(text).not.toContain('LastModifiedTime');
    expect(text).toContain('StepFunctions.ExecutionAlreadyExistsException');
  });

  it('one EventBridge Scheduler schedule per scheduled deployment, cron with its time zone', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Input: JSON.stringify({ deploymentId: 'llama-2-7b-g5-2xlarge', trigger: 'schedule' }) }),
    });
  });

  it('dashboard per fleet, regression alarm per deployment, SNS topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const metric of ['ThroughputTokensPerS', 'MsPerTokenP50', 'Errors', 'UsdPerMillionTokens', 'MaxThroughputTokensPerS']) expect(body).toContain(metric);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Regressed', Namespace: 'LlmBench', Threshold: 1, TreatMissingData: 'notBreaching' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('IAM: invoke and describe only the fleet’s endpoints; S3 only under runs/, latest/ and prices/; pricing:GetProducts for the report step', () => {
    const all = statements(template);
    const invoke = all.filter((s) => actionsOf(s).includes('sagemaker:InvokeEndpoint'));
    for (const s of invoke) expect(actionsOf(s).sort()).toEqual(['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream']);
    const arns = JSON.stringify(invoke.map((s) => s.Resource));
    expect(arns).toContain(':endpoint/llm-bench-llama-2-7b-g5-2xlarge');
    expect(arns).toContain(':endpoint/llm-bench-llama-2-7b-p4d-ic');
    const describeIc = all.find((s) => actionsOf(s).includes('sagemaker:DescribeInferenceComponent'));
    expect(JSON.stringify(describeIc?.Resource)).toContain(':inference-component/llama-2-7b-p4d-ic-tp1');
    for (const s of all) {
      if (actionsOf(s).some((a) => a.startsWith('sagemaker:'))) expect(s.Resource).not.toBe('*');
      if (actionsOf(s).some((a) => a === 's3:PutObject')) expect(JSON.stringify(s.Resource)).toMatch(/\/(runs|latest|prices)\/([A-Za-z0-9-]+\/)?\*/);
    }
    // The Price List API has no resource-level permissions; only the report step's role may call it.
    const pricing = all.filter((s) => actionsOf(s).some((a) => a.startsWith('pricing:')));
    expect(pricing).toHaveLength(1);
    expect(actionsOf(pricing[0])).toEqual(['pricing:GetProducts']);
    expect(pricing[0].Resource).toBe('*');
    const policies = template.findResources('AWS::IAM::Policy');
    const withPricing = Object.entries(policies).filter(([, p]) => JSON.stringify(p).includes('pricing:GetProducts'));
    expect(withPricing.map(([id]) => id)).toEqual([expect.stringMatching(/ReportServiceRoleDefaultPolicy/)]);
  });

  it('construct API: a consumer imports an endpoint by name, grants invoke, alarms on metricRegressed, starts sweeps and reads results', () => {
    const app = new App(OFFLINE_APP_PROPS);
    const stack = new Stack(app, 'Consumer', { env: { region: 'us-east-1', account: '123456789012' } });
    const pipeline = new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
    const role = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    const endpoint = LlmEndpoint.fromEndpointName(stack, 'Endpoint', 'llm-bench-llama-2-7b-g5-2xlarge');
    endpoint.grantInvoke(role);
    pipeline.grantStartSweep(role);
    pipeline.grantReadResults(role);
    new cloudwatch.Alarm(stack, 'MyRegressionAlarm', { metric: pipeline.metricRegressed('llama-2-7b-g5-2xlarge'), threshold: 1, evaluationPeriods: 1 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.absent(),
      MetricName: 'Regressed',
      Namespace: 'LlmBench',
      Dimensions: [{ Name: 'Deployment', Value: 'llama-2-7b-g5-2xlarge' }, { Name: 'service', Value: 'llm-bench' }],
      Statistic: 'Maximum',
      Period: 86400,
    });
    const roleId = stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId) as string;
    const own = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(roleId));
    const granted = own.flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    expect(granted.flatMap(actionsOf)).toEqual(expect.arrayContaining(['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream', 'states:StartExecution', 's3:GetObject*']));
    expect(JSON.stringify(granted)).toContain(':endpoint/llm-bench-llama-2-7b-g5-2xlarge');
    expect(pipeline.resultsBucket.bucketName).toBeDefined();
    expect(Object.keys(pipeline.functions).sort()).toEqual(['decide-next', 'describe-endpoint', 'fleet-report', 'merge-level', 'plan-levels', 'report', 'run-worker', 'scaling']);
  });

  it('uses a Distributed Map when a level has more workers than an inline Map runs', () => {
    const big: PipelineFleet = { name: 'big', deployments: [deployment('wide', { benchmark: { ...BENCHMARK, workers: 64 } })] };
    const { template: t } = synth(big);
    const { definition } = extractStateMachine(t.toJSON() as CfnTemplate, { region: 'us-east-1', account: '123456789012', startAt: 'SelectDeployment', stepEnv: 'LLM_BENCH_STEP' });
    expect(definition.States.RunLevel.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } });
  });

  it('refuses a fleet with no deployment', () => {
    expect(() => synth({ name: 'empty', deployments: [] })).toThrow("fleet 'empty' has no deployment to benchmark");
  });

  it('matches the snapshot (asset hashes normalized)', () => {
    const json = JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}(\.zip)?/g, 'ASSET_HASH');
    expect(JSON.parse(json)).toMatchSnapshot();
  });

  it('cdk-nag AwsSolutionsChecks: no unsuppressed finding', () => {
    const { app } = synth(FLEET);
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
    // Every acknowledgement carries a reason a reviewer can judge.
    const reasons = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.values(m.data as Record<string, string>)));
    expect(reasons.length).toBeGreaterThan(5);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });
});
