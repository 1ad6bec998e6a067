import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A cdk-nag v3 finding id as `Validations.acknowledge` matches it, e.g. `AwsSolutions-IAM5[Action::s3:List*]`
 * (the rule id plus the finding in brackets; no pack prefix).
 */
function awsSolutions(rule: string, finding?: string): string {
  return `AwsSolutions-${rule}${finding ? `[${finding}]` : ''}`;
}

/** `<LogicalId.Arn>` as cdk-nag prints a resource's ARN token inside a finding id. */
export function arnRef(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnElement;
  const stack = Stack.of(resource);
  return `<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>`;
}

/** An ARN as cdk-nag prints it in a finding id: pseudo-parameter references as `<AWS::Partition>`. */
export function nagArn(scope: IConstruct, arn: string): string {
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const obj = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
    if (obj.Ref !== undefined) return `<${obj.Ref}>`;
    if (obj['Fn::Join'] !== undefined) return obj['Fn::Join'][1].map(flatten).join(obj['Fn::Join'][0]);
    return JSON.stringify(value);
  };
  return flatten(Stack.of(scope).resolve(arn));
}

export interface PipelineNagTargets {
  readonly pipeline: IConstruct;
  readonly bucket: IConstruct;
  readonly functions: readonly IConstruct[];
  /** Wildcard ARNs of the scaling step (scalable targets, endpoint configurations), with why each is a pattern. */
  readonly scalingWildcards?: readonly { readonly arn: string; readonly reason: string }[];
  /** The fleet whose report the fleet-report step writes into latest/{fleet}/. */
  readonly fleetName: string;
  /** The scenario path exists (its steps write under scenarios/). @default false */
  readonly scenarios?: boolean;
}

/**
 * The cdk-nag AwsSolutions findings the pipeline accepts, each with its reason. Acknowledged on the
 * pipeline construct so they cover its subtree only.
 */
export function suppressPipelineFindings(targets: PipelineNagTargets): void {
  const ack = (id: string, reason: string): void => Validations.of(targets.pipeline).acknowledge({ id, reason });
  ack(
    awsSolutions('L1'),
    'Node.js 22 is the runtime this project targets and tests against; moving to a newer runtime is a deliberate project-wide change.',
  );
  ack(
    awsSolutions('IAM4', 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'),
    'The AWS managed basic execution policy grants only CloudWatch Logs writes (CreateLogGroup/CreateLogStream/PutLogEvents), the minimum every function needs.',
  );
  ack(
    awsSolutions('IAM5', 'Resource::*'),
    'X-Ray (PutTraceSegments, PutTelemetryRecords), Step Functions log delivery (logs:*LogDelivery*, DescribeResourcePolicies) the Price List API (pricing:GetProducts, report step only) and CloudWatch GetMetricData of classic metrics (merge-level and scenario-finish steps only) and Application Auto Scaling DescribeScalableTargets / DescribeScalingActivities (scaling and scenario steps) do not support resource-level permissions.',
  );
  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*']) {
    ack(
      awsSolutions('IAM5', `Action::${action}`),
      `Action group from the CDK bucket grants (read/put), limited to the results bucket and its runs/, latest/ and prices/ prefixes.`,
    );
  }
  const bucket = arnRef(targets.bucket);
  ack(awsSolutions('IAM5', `Resource::${bucket}/runs/*`), 'Run files are keyed by deployment and run id, known only at run time; access stays under runs/.');
  ack(awsSolutions('IAM5', `Resource::${bucket}/latest/*`), 'The report step refreshes latest/{deployment}/ for every deployment of the fleet; access stays under latest/.');
  ack(
    awsSolutions('IAM5', `Resource::${bucket}/latest/${targets.fleetName}/*`),
    "The fleet-report step writes the fleet report's files (fleet-report.html/.md/.json, fleet-curve.svg) under latest/{fleet}/ only.",
  );
  ack(awsSolutions('IAM5', `Resource::${bucket}/prices/*`), 'The report step caches the Price List read of its region as prices/{region}.json; access stays under prices/.');
  if (targets.scenarios === true) {
    ack(
      awsSolutions('IAM5', `Resource::${bucket}/scenarios/*`),
      'Scenario files are keyed by deployment and run id, known only at run time; the scenario steps stay under scenarios/ (and the finish step writes latest/{deployment}/scenarios/).',
    );
  }
  for (const { arn, reason } of targets.scalingWildcards ?? []) ack(awsSolutions('IAM5', `Resource::${nagArn(targets.pipeline, arn)}`), reason);
  for (const fn of targets.functions) {
    ack(
      awsSolutions('IAM5', `Resource::${arnRef(fn)}:*`),
      'The state machine may invoke versions and aliases of its own pipeline functions (CDK LambdaInvoke grant); no other function.',
    );
  }
}
