import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../endpoint/scalable-dimensions';
import { LlmEndpointBase, type ILlmEndpoint } from '../endpoint/endpoint-base';
import { UserInputError } from '../errors';
import { BenchmarkFunctions, type PipelineStep, type ScenarioStep } from './benchmark-functions';
import { runMetric } from './benchmark-metrics';
import { BenchmarkDashboard } from './dashboard';
import { suppressPipelineFindings } from './nag-suppressions';
import { ResultsBucket } from './results-bucket';
import { SweepStateMachine } from './sweep-state-machine';
import { SweepTriggers } from './triggers';
import type { PipelineFleet } from './types';

export interface BenchmarkPipelineProps {
  /** The resolved fleet: one sweep per deployment, each endpoint the only one the functions may invoke. */
  readonly fleet: PipelineFleet;
  /**
   * Create an SNS topic that receives each run's result (report keys, stop reason or failed step)
   * and the regression alarms.
   * @default false
   */
  readonly notifications?: boolean;
  /**
   * Seconds between endpoint status polls while waiting for InService.
   * @default 30
   */
  readonly pollIntervalS?: number;
  /**
   * Memory of the run-worker functions, MB.
   * @default 3538 (two vCPUs)
   */
  readonly workerMemoryMb?: number;
}

/**
 * The benchmark pipeline of one fleet: results bucket, six Lambda steps, the sweep state machine,
 * its triggers (endpoint InService, schedules), metrics, regression alarms and a dashboard.
 */
export class BenchmarkPipeline extends Construct {
  /** Runs, reports and `latest/` figures: runs/{deployment}/{runId}/…, latest/{deployment}/…. */
  public readonly resultsBucket: s3.IBucket;
  /** The Lambda function of each pipeline step. */
  public readonly functions: Readonly<Record<PipelineStep, lambda.IFunction>>;
  /** The scenario path's functions, when a deployment declares `benchmark.scenarios`. */
  public readonly scenarioFunctions?: Readonly<Record<ScenarioStep, lambda.IFunction>>;
  public readonly sweep: SweepStateMachine;
  public readonly triggers: SweepTriggers;
  public readonly dashboard: BenchmarkDashboard;
  /** Run results and regression alarms, when `notifications` is on. */
  public readonly topic?: sns.Topic;
  public readonly regressionAlarms: cloudwatch.Alarm[] = [];
  private readonly deploymentIds: readonly string[];

  constructor(scope: Construct, id: string, props: BenchmarkPipelineProps) {
    super(scope, id);
    const deployments = props.fleet.deployments;
    if (deployments.length === 0) throw new Error(`BenchmarkPipeline ${this.node.path}: fleet '${props.fleet.name}' has no deployment to benchmark`);
    this.deploymentIds = deployments.map((d) => d.id);

    const results = new ResultsBucket(this, 'Results');
    this.resultsBucket = results.bucket;
    const steps = new BenchmarkFunctions(this, 'Steps', {
      resultsBucketName: this.resultsBucket.bucketName,
      maxDurationS: Math.max(...deployments.map((d) => d.benchmark.durationS)),
      maxTimeoutS: Math.max(...deployments.map((d) => d.benchmark.timeoutS)),
      workerMemoryMb: props.workerMemoryMb,
      scenarios: deployments.some((d) => (d.benchmark.scenarios ?? []).length > 0),
    });
    this.functions = steps.byStep;
    this.scenarioFunctions = steps.scenarioSteps;
    const scalingWildcards = this.grantLeastPrivilege(deployments, props.fleet.name);

    if (props.notifications === true) this.topic = new sns.Topic(this, 'RunResults', { enforceSSL: true, displayName: `llm-bench ${props.fleet.name} run results` });
    const topic = this.topic;
    const notify = topic
      ? (s: Construct, nid: string) => new tasks.SnsPublish(s, nid, { topic, message: sfn.TaskInput.fromText(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.report'))), resultPath: sfn.JsonPath.DISCARD })
      : undefined;
    this.sweep = new SweepStateMachine(this, 'Sweep', {
      // LlmBench-{fleet}-sweep: the ARN `aws stepfunctions start-execution` needs is known up front.
      stateMachineName: `LlmBench-${props.fleet.name}-sweep`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80),
      fleetName: props.fleet.name,
      deployments,
      functions: this.functions,
      ...(this.scenarioFunctions !== undefined ? { scenarioFunctions: this.scenarioFunctions } : {}),
      pollIntervalS: props.pollIntervalS,
      notify,
    });
    this.triggers = new SweepTriggers(this, 'Triggers', { deployments, sweep: this.sweep.stateMachine });
    this.dashboard = new BenchmarkDashboard(this, 'Dashboard', { fleetName: props.fleet.name, deployments, resultsBucketName: this.resultsBucket.bucketName });

    for (const d of deployments) {
      const alarm = new cloudwatch.Alarm(this, `Regression-${d.id}`, {
        alarmDescription: `Benchmark of ${d.id}: max throughput fell or ms/token rose by more than ${d.benchmark.regressionThresholdPct}% vs the previous run`,
        metric: this.metricRegressed(d.id),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (topic) alarm.addAlarmAction(new actions.SnsAction(topic));
      this.regressionAlarms.push(alarm);
    }

    new CfnOutput(this, 'StateMachineArn', { value: this.sweep.stateMachine.stateMachineArn, description: 'start-execution --input {"deploymentId": "..."}' });
    new CfnOutput(this, 'ResultsBucketName', { value: this.resultsBucket.bucketName });
    suppressPipelineFindings({
      pipeline: this,
      bucket: this.resultsBucket,
      functions: [...Object.values(this.functions), ...Object.values(this.scenarioFunctions ?? {})],
      scalingWildcards,
      fleetName: props.fleet.name,
      scenarios: this.scenarioFunctions !== undefined,
    });
  }

  /** Allows starting a sweep (`states:StartExecution` on the sweep state machine). */
  public grantStartSweep(grantee: iam.IGrantable): iam.Grant {
    return this.sweep.stateMachine.grantStartExecution(grantee);
  }

  /** Allows reading the results bucket: runs, reports and `latest/` figures. */
  public grantReadResults(grantee: iam.IGrantable): iam.Grant {
    return this.resultsBucket.grantRead(grantee);
  }

  /**
   * Max throughput of each run of a deployment, tokens/s (what the report step publishes).
   * @default - Maximum per day
   */
  public metricMaxThroughput(deploymentId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return runMetric('maxThroughput', this.knownDeployment(deploymentId), props);
  }

  /**
   * 1 when a run of the deployment regressed against the previous run, else 0 (the alarms watch it).
   * @default - Maximum per day
   */
  public metricRegressed(deploymentId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return runMetric('regressed', this.knownDeployment(deploymentId), props);
  }

  private knownDeployment(deploymentId: string): string {
    if (!this.deploymentIds.includes(deploymentId)) {
      throw new UserInputError('deploymentId', `'${deploymentId}' is not a deployment of this pipeline; allowed: ${this.deploymentIds.join(', ')}`);
    }
    return deploymentId;
  }

  /**
   * The scaling step (pin the layout, restore scaling) of autoscaled deployments:
   * - application-autoscaling:RegisterScalableTarget has one resource type, scalable-target
   *   (`arn:${Partition}:application-autoscaling:${Region}:${Account}:scalable-target/${ResourceId}`, an id
   *   Application Auto Scaling assigns, unknown at synth), and the condition keys
   *   application-autoscaling:service-namespace and application-autoscaling:scalable-dimension:
   *   this account and region's targets, SageMaker's namespace, the dimensions the fleet scales.
   *   DescribeScalableTargets has no resource type ("*").
   *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html
   * - Application Auto Scaling checks that the caller of RegisterScalableTarget may act on the target
   *   resource itself (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_permission_validation.html);
   *   for SageMaker: sagemaker:DescribeEndpoint, DescribeEndpointConfig, UpdateEndpointWeightsAndCapacities
   *   (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-prerequisites.html) and, for
   *   components, DescribeInferenceComponent and UpdateInferenceComponentRuntimeConfig (the actions
   *   Application Auto Scaling's own role uses: AWSApplicationAutoscalingSageMakerEndpointPolicy,
   *   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSApplicationAutoscalingSageMakerEndpointPolicy.html).
   *   The same actions set the planned layout.
   */
  private grantScaling(
    deployments: PipelineFleet['deployments'],
    arns: { endpointArns: string[]; componentArns: (d: PipelineFleet['deployments'][number]) => string[]; arnOf: (resource: string, name: string) => string },
  ): { arn: string; reason: string }[] {
    const scaled = deployments.filter((d) => d.autoscaling !== undefined);
    if (scaled.length === 0) return [];
    const wildcards: { arn: string; reason: string }[] = [];
    const fn = this.functions.scaling;
    const stack = Stack.of(this);
    const dimensions = [...new Set(scaled.map((d) => (d.inferenceComponentName !== undefined ? COMPONENT_COPY_DIMENSION : VARIANT_INSTANCE_DIMENSION)))].sort();
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['application-autoscaling:DescribeScalableTargets'], resources: ['*'] }));
    const scalableTargets = stack.formatArn({ service: 'application-autoscaling', resource: 'scalable-target', resourceName: '*' });
    wildcards.push({
      arn: scalableTargets,
      reason: 'Scalable-target ARNs end in an id Application Auto Scaling assigns at registration (unknown at synth); the statement is limited to SageMaker namespace and the fleet’s scalable dimensions by condition keys.',
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['application-autoscaling:RegisterScalableTarget'],
        resources: [scalableTargets],
        conditions: { StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker', 'application-autoscaling:scalable-dimension': dimensions } },
      }),
    );
    const scaledEndpoints = [...new Set(scaled.map((d) => arns.arnOf('endpoint', d.endpointName)))];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpoint'], resources: scaledEndpoints }));
    const variants = scaled.filter((d) => d.inferenceComponentName === undefined);
    if (variants.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sagemaker:UpdateEndpointWeightsAndCapacities'], resources: [...new Set(variants.map((d) => arns.arnOf('endpoint', d.endpointName)))] }),
      );
      // Endpoint configuration names are generated by CloudFormation in the deployment stacks.
      const configs = stack.formatArn({ service: 'sagemaker', resource: 'endpoint-config', resourceName: '*' });
      wildcards.push({ arn: configs, reason: 'Read-only DescribeEndpointConfig, which Application Auto Scaling checks on RegisterScalableTarget; configuration names are generated by CloudFormation in the deployment stacks.' });
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpointConfig'], resources: [configs] }));
    }
    const components = [...new Set(scaled.flatMap(arns.componentArns))];
    if (components.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeInferenceComponent', 'sagemaker:UpdateInferenceComponentRuntimeConfig'], resources: components }));
    }
    return wildcards;
  }

  private grantScenarios(deployments: PipelineFleet['deployments'], arnOf: (resource: string, name: string) => string): void {
    if (this.scenarioFunctions !== undefined) grantScenarioSteps(this, this.scenarioFunctions, this.resultsBucket, deployments, arnOf);
  }

  /**
   * Functions may invoke only the fleet's endpoints and touch only the results bucket's prefixes.
   * The worker's invoke permission is each endpoint's own `grantInvoke`, which covers the endpoint
   * ARN and, for an inference-component endpoint, the component ARN that IAM also checks when the
   * request names an `InferenceComponentName` (see INVOKE_ACTIONS in lib/endpoint/endpoint-base.ts).
   */
  private grantLeastPrivilege(deployments: PipelineFleet['deployments'], fleetName: string): { arn: string; reason: string }[] {
    const fns = this.functions;
    const endpoints = importedEndpoints(this, deployments);
    const endpointArns = endpoints.map((e) => e.endpointArn);
    const componentArns = endpoints.flatMap((e) => e.inferenceComponentArns);

    fns['describe-endpoint'].addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpoint'], resources: endpointArns }));
    if (componentArns.length > 0) {
      fns['describe-endpoint'].addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeInferenceComponent'], resources: componentArns }));
    }
    const stack = Stack.of(this);
    // SageMaker ARNs carry endpoint and component names in lower case.
    const arnOf = (resource: string, name: string): string => stack.formatArn({ service: 'sagemaker', resource, resourceName: name.toLowerCase() });
    const scalingWildcards = this.grantScaling(deployments, { endpointArns, componentArns: (d) => (d.inferenceComponentName ? [arnOf('inference-component', d.inferenceComponentName)] : []), arnOf });
    for (const endpoint of endpoints) endpoint.grantInvoke(fns['run-worker']);
    this.grantScenarios(deployments, arnOf);

    // The report step reads current prices of the region from the Price List API; GetProducts has no
    // resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awspricelist.html).
    fns.report.addToRolePolicy(new iam.PolicyStatement({ actions: ['pricing:GetProducts'], resources: ['*'] }));
    // merge-level joins each level's SageMaker CloudWatch metrics (GetMetricData). Its only resource type
    // (`dataset`, OTLP metrics) is optional; classic metrics have none, so Resource "*"
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
    fns['merge-level'].addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));

    const bucket = this.resultsBucket;
    // Who reads and who writes which prefix: workers only write their records, decide-next only reads.
    // plan-levels claims a run's lock (runs/*/run.lock) and report releases it: both delete.
    const access: readonly { step: PipelineStep; read: string[]; write: string[]; delete?: string[] }[] = [
      { step: 'plan-levels', read: ['runs/*'], write: ['runs/*'], delete: ['runs/*'] },
      { step: 'run-worker', read: [], write: ['runs/*'] },
      { step: 'merge-level', read: ['runs/*'], write: ['runs/*'] },
      { step: 'decide-next', read: ['runs/*'], write: [] },
      // prices/: the report step's day-long cache of the Price List API read for the region.
      { step: 'report', read: ['runs/*', 'latest/*', 'prices/*'], write: ['runs/*', 'latest/*', 'prices/*'], delete: ['runs/*'] },
      { step: 'fleet-report', read: ['runs/*', 'latest/*'], write: [`latest/${fleetName}/*`] },
    ];
    for (const { step, read, write, delete: remove = [] } of access) {
      for (const prefix of read) bucket.grantRead(fns[step], prefix);
      for (const prefix of write) bucket.grantPut(fns[step], prefix);
      // s3:DeleteObject alone (grantDelete would add the DeleteObject* group): a lock is one object.
      for (const prefix of remove) fns[step].addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects(prefix)] }));
    }
    return scalingWildcards;
  }
}

/**
 * The scenario path's calls. Scaling stays enabled: nothing is registered or suspended.
 * - scenario-control reads the scalable target (application-autoscaling:DescribeScalableTargets, no
 *   resource type: "*") and sets the starting copies (sagemaker:UpdateInferenceComponentRuntimeConfig),
 *   and, like scenario-finish, reads capacity (sagemaker:DescribeEndpoint, DescribeInferenceComponent);
 * - scenario-finish reads the scaling activities (application-autoscaling:DescribeScalingActivities,
 *   no resource type: "*"; https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html)
 *   and the endpoint's CloudWatch metrics of the run (cloudwatch:GetMetricData, "*" as for merge-level);
 * - scenario-worker invokes the scenario deployments' endpoints (their own grantInvoke);
 * - S3: workers and the sampler write under scenarios/ (workers also read the previous window's
 *   hand-off markers there), the finish step reads there and writes the
 *   scenario's files and latest/{deployment}/scenarios/.
 */
function grantScenarioSteps(
  scope: Construct,
  fns: Readonly<Record<ScenarioStep, lambda.IFunction>>,
  bucket: s3.IBucket,
  deployments: PipelineFleet['deployments'],
  arnOf: (resource: string, name: string) => string,
): void {
  const scenario = deployments.filter((d) => (d.benchmark.scenarios ?? []).length > 0);
  const endpointArns = [...new Set(scenario.map((d) => arnOf('endpoint', d.endpointName)))];
  const componentArns = [...new Set(scenario.flatMap((d) => (d.inferenceComponentName !== undefined ? [arnOf('inference-component', d.inferenceComponentName)] : [])))];
  for (const step of ['scenario-control', 'scenario-finish'] as const) {
    fns[step].addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpoint'], resources: endpointArns }));
    if (componentArns.length > 0) fns[step].addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeInferenceComponent'], resources: componentArns }));
  }
  if (componentArns.length > 0) fns['scenario-control'].addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:UpdateInferenceComponentRuntimeConfig'], resources: componentArns }));
  fns['scenario-control'].addToRolePolicy(new iam.PolicyStatement({ actions: ['application-autoscaling:DescribeScalableTargets'], resources: ['*'] }));
  fns['scenario-finish'].addToRolePolicy(new iam.PolicyStatement({ actions: ['application-autoscaling:DescribeScalingActivities'], resources: ['*'] }));
  // The finish step joins the run's CloudWatch metrics (GetMetricData: no resource-level permission for classic metrics).
  fns['scenario-finish'].addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
  for (const endpoint of importedEndpoints(scope, scenario, 'ScenarioEndpoint')) endpoint.grantInvoke(fns['scenario-worker']);
  bucket.grantPut(fns['scenario-control'], 'scenarios/*');
  bucket.grantPut(fns['scenario-worker'], 'scenarios/*');
  // Each stream waits for the previous window's hand-off marker (HeadObject, a missing key needs ListBucket).
  bucket.grantRead(fns['scenario-worker'], 'scenarios/*');
  bucket.grantRead(fns['scenario-finish'], 'scenarios/*');
  bucket.grantPut(fns['scenario-finish'], 'scenarios/*');
  bucket.grantPut(fns['scenario-finish'], 'latest/*');
}

/** The fleet's endpoints as imported resources (they live in the deployment stacks), components included. */
function importedEndpoints(scope: Construct, deployments: PipelineFleet['deployments'], idPrefix = 'Endpoint'): ILlmEndpoint[] {
  const components = new Map<string, string[]>();
  for (const d of deployments) {
    const names = components.get(d.endpointName) ?? [];
    if (d.inferenceComponentName !== undefined && !names.includes(d.inferenceComponentName)) names.push(d.inferenceComponentName);
    components.set(d.endpointName, names);
  }
  return [...components].map(([endpointName, inferenceComponentNames]) =>
    LlmEndpointBase.fromEndpointAttributes(scope, `${idPrefix}-${endpointName}`, { endpointName, inferenceComponentNames }),
  );
}
