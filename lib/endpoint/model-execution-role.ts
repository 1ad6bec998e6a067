import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { parseEcrImageUri, type S3Location } from './s3-uri';

/** What the container of one model needs to read and write. */
export interface ModelExecutionRoleProps {
  /** Image URI; ECR pull is limited to its repository when it is an ECR URI. */
  readonly imageUri: string;
  /** Model artifacts read at startup. @default - none (weights from the Hugging Face Hub) */
  readonly modelData?: S3Location;
  /** Serving container named in the role's description. @default 'TGI' */
  readonly engineLabel?: string;
}

/**
 * Least-privilege execution role of a SageMaker model: read the artifact prefix, pull the image,
 * write logs and metrics. Actions from the CreateModel execution-role guide:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms
 */
export function createModelExecutionRole(scope: Construct, id: string, props: ModelExecutionRoleProps): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    description: `Execution role of a ${props.engineLabel ?? 'TGI'} model: artifact read, image pull, logs and metrics`,
  });
  if (props.modelData) {
    const { bucket, prefix } = props.modelData;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::${bucket}/${prefix}*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [`arn:${stack.partition}:s3:::${bucket}`],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
  }
  const repo = parseEcrImageUri(props.imageUri);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [
        repo
          ? `arn:${stack.partition}:ecr:${repo.region}:${repo.accountId}:repository/${repo.repository}`
          : `arn:${stack.partition}:ecr:*:*:repository/*`,
      ],
    }),
  );
  // GetAuthorizationToken has no resource-level permissions.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/*`],
    }),
  );
  // PutMetricData has no resource-level permissions; the namespace condition keeps it to SageMaker's.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*', 'AWS/SageMaker'] } },
    }),
  );
  return role;
}
