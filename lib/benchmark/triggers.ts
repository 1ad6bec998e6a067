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

/**
 * What starts a sweep:
 * - an EventBridge rule on `SageMaker Endpoint State Change` → IN_SERVICE for the fleet's endpoints,
 *   targeting a small Express state machine that starts the sweep with an execution name hashed from
 *   the endpoint name and its LastModifiedTime. Step Functions refuses a second execution with the
 *   same name, so a duplicated event (EventBridge delivers at least once) starts nothing: one sweep
 *   per endpoint version. (EventBridge's Step Functions target cannot set the execution name.)
 *   Event shape (detail-type 'SageMaker Endpoint State Change', detail.EndpointName/EndpointStatus
 *   'IN_SERVICE'/LastModifiedTime; "SageMaker AI may send multiple events ... for each state change"):
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html
 *   Execution names are unique per state machine (StartExecution → ExecutionAlreadyExists):
 *   https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * - an EventBridge Scheduler schedule per deployment (cron + time zone) unless its schedule is off.
 *   ScheduleExpression cron(6 fields), ScheduleExpressionTimezone, FlexibleTimeWindow.Mode OFF|FLEXIBLE:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html
 */
export class SweepTriggers extends Construct {
  public readonly rule: events.Rule;
  public readonly launcher: sfn.StateMachine;
  public readonly schedules: scheduler.CfnSchedule[] = [];

  constructor(scope: Construct, id: string, props: SweepTriggersProps) {
    super(scope, id);
    const name = sfn.JsonPath.format(
      'in-service-{}',
      sfn.JsonPath.hash(
        sfn.JsonPath.format(
          '{}/{}',
          sfn.JsonPath.stringAt('$.detail.EndpointName'),
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.detail.LastModifiedTime')),
        ),
        'SHA-1',
      ),
    );
    const start = new tasks.StepFunctionsStartExecution(this, 'StartSweep', {
      stateMachine: props.sweep,
      name,
      input: sfn.TaskInput.fromObject({ endpointName: sfn.JsonPath.stringAt('$.detail.EndpointName'), trigger: 'endpoint-in-service' }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    start.addCatch(new sfn.Succeed(this, 'DuplicateEventIgnored'), { errors: ['StepFunctions.ExecutionAlreadyExistsException'] });
    const launcherLogs = new logs.LogGroup(this, 'LauncherLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.launcher = new sfn.StateMachine(this, 'Launcher', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      timeout: Duration.minutes(1),
      tracingEnabled: true,
      logs: { destination: launcherLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: 'Starts one benchmark sweep per endpoint version (idempotent on the execution name)',
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

    const scheduled = props.deployments.filter((d) => d.benchmark.schedule !== 'off');
    if (scheduled.length === 0) return;
    const role = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }) });
    props.sweep.grantStartExecution(role);
    for (const deployment of scheduled) {
      const schedule = deployment.benchmark.schedule;
      if (schedule === 'off') continue;
      this.schedules.push(
        new scheduler.CfnSchedule(this, `Schedule-${deployment.id}`, {
          description: `Scheduled benchmark sweep of ${deployment.id}`,
          scheduleExpression: scheduleExpression(schedule.cron),
          scheduleExpressionTimezone: schedule.timeZone,
          flexibleTimeWindow: { mode: 'OFF' },
          target: {
            arn: props.sweep.stateMachineArn,
            roleArn: role.roleArn,
            input: JSON.stringify({ deploymentId: deployment.id, trigger: 'schedule' }),
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    }
  }
}
