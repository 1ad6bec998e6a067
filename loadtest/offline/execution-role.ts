import type { AwsCall } from '../local/judges/aws-call';
import { IamJudge } from '../local/judges/iam/iam-judge';
import { templateRoles, type ArnContext } from '../local/judges/iam/template-roles';
import type { CfnTemplate } from './definition';

/**
 * Before a container starts, SageMaker assumes the Model's execution role to pull the image and
 * download the model data; a role that cannot fails the endpoint. This judges the calls it makes
 * with the role's synthesized policies (the IAM judge): the trust policy names
 * sagemaker.amazonaws.com (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html),
 * ECR pull permissions (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms:
 * ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer,
 * ecr:BatchGetImage; s3:GetObject and s3:ListBucket on the model data).
 * With an S3Prefix data source every object under the prefix is read; `config.json` stands for them
 * (every Hugging Face checkpoint holds one).
 */

export interface ModelAccessFacts {
  readonly image: string;
  readonly modelDataS3Uri: string | undefined;
}

function executionRoleId(template: CfnTemplate): string | undefined {
  const model = Object.values(template.Resources).find((r) => r.Type === 'AWS::SageMaker::Model');
  const arn = model?.Properties?.ExecutionRoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return arn?.['Fn::GetAtt']?.[0];
}

function trustsSageMaker(template: CfnTemplate, roleId: string): boolean {
  const doc = template.Resources[roleId]?.Properties?.AssumeRolePolicyDocument as { Statement?: { Effect?: string; Action?: unknown; Principal?: { Service?: unknown } }[] } | undefined;
  return (doc?.Statement ?? []).some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const services = Array.isArray(s.Principal?.Service) ? s.Principal?.Service : [s.Principal?.Service];
    return s.Effect === 'Allow' && actions.includes('sts:AssumeRole') && (services as unknown[]).includes('sagemaker.amazonaws.com');
  });
}

/** The calls of an image pull and a model-data download, each with the resource it is authorized on. */
export function modelAccessCalls(facts: ModelAccessFacts): AwsCall[] {
  const calls: AwsCall[] = [{ action: 'ecr:GetAuthorizationToken', resources: [{ arn: '*' }] }];
  const image = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(facts.image);
  if (image !== null) {
    const repository = `arn:aws:ecr:${image[2]}:${image[1]}:repository/${image[3]}`;
    for (const action of ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']) calls.push({ action, resources: [{ arn: repository }] });
  }
  const data = facts.modelDataS3Uri === undefined ? null : /^s3:\/\/([^/]+)\/(.*)$/.exec(facts.modelDataS3Uri);
  if (data !== null) {
    const [, bucket, prefix] = data as unknown as [string, string, string];
    calls.push({ action: 's3:ListBucket', resources: [{ arn: `arn:aws:s3:::${bucket}` }], context: { 's3:prefix': prefix } });
    calls.push({ action: 's3:GetObject', resources: [{ arn: `arn:aws:s3:::${bucket}/${prefix}config.json` }] });
  }
  return calls;
}

/** Why SageMaker could not prepare the container with the template's execution role, or undefined. */
export async function modelAccessFailure(template: CfnTemplate, facts: ModelAccessFacts, ctx: ArnContext): Promise<string | undefined> {
  const roleId = executionRoleId(template);
  if (roleId === undefined) return 'The Model names no execution role of the template (ExecutionRoleArn).';
  if (!trustsSageMaker(template, roleId)) {
    return `SageMaker cannot assume the execution role ${roleId}: its trust policy does not allow sts:AssumeRole for the service principal sagemaker.amazonaws.com.`;
  }
  const judge = new IamJudge(templateRoles(template, ctx), ctx);
  for (const call of modelAccessCalls(facts)) {
    const decision = await judge.authorize(roleId, call);
    if (!decision.allowed) {
      const what = call.action.startsWith('s3:') ? `model data at ${facts.modelDataS3Uri ?? ''}` : `image ${facts.image}`;
      return `Could not access ${what} with the execution role: ${decision.message}`;
    }
  }
  return undefined;
}
