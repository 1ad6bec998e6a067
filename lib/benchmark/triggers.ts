import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { PipelineDeployment } from './types';

export interface SweepTriggersProps {
  readonly deployments: readonly PipelineDeployment[];
  readonly sweep: sfn.IStateMachine;
}

/** `cron(...)` as EventBridge Scheduler wants it, from either the wrapped or the bare 6-field form. */
export function scheduleExpression(cron: string): string {
  const trimmed = cron.trim();
  return /^cron\(.*\)$/.test(trimmed) ? trimmed : `cron(${trimmed})`;
}

/** Where the launcher keeps the endpoint's version: its name and the endpoint configuration it runs. */
const VERSION_PATH = '$.version';

/**
 * What starts a sweep:
 * - an EventBridge rule on `SageMaker Endpoint State Change` → IN_SERVICE for the fleet's endpoints,
 *   targeting a small Express state machine that starts the sweep with an execution name hashed from
 *   the endpoint name and its endpoint configuration name. A deploy that changes the endpoint
 *   (UpdateEndpoint) gives it a new configuration, hence a new sweep. Autoscaling's capacity changes
 *   (UpdateEndpointWeightsAndCapacities: Updating, then InService again, with a new LastModifiedTime)
 *   keep the configuration, so their IN_SERVICE events, like duplicated deliveries ("SageMaker AI may
 *   send multiple events ... for each state change"), map to the same execution name, which Step
 *   Functions refuses to start twice: at most one sweep per endpoint configuration, and none started
 *   by the sweep's own load. (EventBridge's Step Functions target cannot set the execution name.)
 *   The event's optional fields are never required: without `EndpointConfigName` the launcher asks
 *   DescribeEndpoint for it; `LastModifiedTime` is not used.
 *   Event shape (detail-type 'SageMaker Endpoint State Change', detail.EndpointName/EndpointConfigName/
 *   EndpointStatus 'IN_SERVICE'/LastModifiedTime):
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html
 *   UpdateEndpointWeightsAndCapacities (what Application Auto Scaling calls) changes capacity without a
 *   new endpoint configuration: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
 *   Execution names are unique per state machine (StartExecution → ExecutionAlreadyExists):
 *   https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * - an EventBridge Scheduler schedule per deployment (cron + time zone) unless its schedule is off,
 *   and one per scheduled scenario of a deployment, whose input names the scenario.
 *   ScheduleExpression cron(6 fields), ScheduleExpressionTimezone, FlexibleTimeWindow.Mode OFF|FLEXIBLE:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html
 */
export class SweepTriggers extends Construct {
  public readonly rule: events.Rule;
  public readonly launcher: sfn.StateMachine;
  public readonly schedules: scheduler.CfnSchedule[] = [];

  constructor(scope: Construct, id: string, props: SweepTriggersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = sfn.JsonPath.format(
      'in-service-{}',
      sfn.JsonPath.hash(
        sfn.JsonPath.format('{}/{}', sfn.JsonPath.stringAt(`${VERSION_PATH}.EndpointName`), sfn.JsonPath.stringAt(`${VERSION_PATH}.EndpointConfigName`)),
        'SHA-1',
      ),
    );
    const start = new tasks.StepFunctionsStartExecution(this, 'StartSweep', {
      stateMachine: props.sweep,
      name,
      input: sfn.TaskInput.fromObject({ endpointName: sfn.JsonPath.stringAt(`${VERSION_PATH}.EndpointName`), trigger: 'endpoint-in-service' }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    start.addCatch(new sfn.Succeed(this, 'DuplicateEventIgnored'), { errors: ['StepFunctions.ExecutionAlreadyExistsException'] });
    const fromEvent = new sfn.Pass(this, 'VersionFromEvent', {
      parameters: { 'EndpointName.$': '$.detail.EndpointName', 'EndpointConfigName.$': '$.detail.EndpointConfigName' },
      resultPath: VERSION_PATH,
    });
    const describe = new tasks.CallAwsService(this, 'DescribeEndpoint', {
      service: 'sagemaker',
      action: 'describeEndpoint',
      parameters: { 'EndpointName.$': '$.detail.EndpointName' },
      iamResources: [...new Set(props.deployments.map((d) => stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: d.endpointName.toLowerCase() })))],
      iamAction: 'sagemaker:DescribeEndpoint',
      resultSelector: { 'EndpointName.$': '$.EndpointName', 'EndpointConfigName.$': '$.EndpointConfigName' },
      resultPath: VERSION_PATH,
    });
    describe.addRetry({ errors: ['SageMaker.ThrottlingException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 });
    fromEvent.next(start);
    describe.next(start);
    const versionKnown = new sfn.Choice(this, 'EventNamesConfig?')
      .when(sfn.Condition.isPresent('$.detail.EndpointConfigName'), fromEvent)
      .otherwise(describe);
    const launcherLogs = new logs.LogGroup(this, 'LauncherLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.launcher = new sfn.StateMachine(this, 'Launcher', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(versionKnown),
      timeout: Duration.minutes(1),
      tracingEnabled: true,
      logs: { destination: launcherLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: 'Starts one benchmark sweep per endpoint configuration (idempotent on the execution name)',
    });

    this.rule = new events.Rule(this, 'EndpointInService', {
      description: 'Benchmark a fleet endpoint each time it becomes InService (deploy or update)',
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Endpoint State Change'],
        detail: { EndpointStatus: ['IN_SERVICE'], EndpointName: props.deployments.map((d) => d.endpointName) },
      },
      targets: [new targets.SfnStateMachine(this.launcher)],
    });

    // One schedule per scheduled entry: the sweep's (`Schedule-{id}`) and each scenario's
    // (`Schedule-{id}-{kind}`, whose input selects the scenario).
    const entries = props.deployments.flatMap((d) => [
      ...(d.benchmark.schedule !== 'off' ? [{ deployment: d, id: `Schedule-${d.id}`, schedule: d.benchmark.schedule, what: 'sweep', input: { deploymentId: d.id, trigger: 'schedule' } }] : []),
      ...(d.benchmark.scenarios ?? []).flatMap((s) =>
        s.schedule !== 'off'
          ? [{ deployment: d, id: `Schedule-${d.id}-${s.spec.kind}`, schedule: s.schedule, what: `${s.spec.kind} scenario`, input: { deploymentId: d.id, scenario: s.spec.kind, trigger: 'schedule' } }]
          : [],
      ),
    ]);
    if (entries.length === 0) return;
    const role = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }) });
    props.sweep.grantStartExecution(role);
    for (const entry of entries) {
      this.schedules.push(
        new scheduler.CfnSchedule(this, entry.id, {
          description: `Scheduled benchmark ${entry.what} of ${entry.deployment.id}`,
          scheduleExpression: scheduleExpression(entry.schedule.cron),
          scheduleExpressionTimezone: entry.schedule.timeZone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: props.sweep.stateMachineArn,
            roleArn: role.roleArn,
            input: JSON.stringify(entry.input),
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    }
  }
}
