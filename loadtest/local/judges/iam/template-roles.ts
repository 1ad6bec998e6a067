/**
 * The IAM roles of a synthesized CloudFormation template with their identity policies, every
 * intrinsic (Ref, Fn::GetAtt, Fn::Join, Fn::Sub) resolved to the ARN the resource would get in a
 * given account and region. ARN formats: the Service Authorization Reference of each service
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 * Physical names CloudFormation would generate (bucket, function, state machine) are stood in by
 * the lower-cased logical id; policies and calls both use the same stand-in.
 */

export interface TemplateResources {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface TemplateRole {
  readonly logicalId: string;
  readonly arn: string;
  /** Inline and attached customer policies (AWS-managed policies are listed apart: their text is not in the template). */
  readonly policies: readonly { readonly name: string; readonly document: PolicyDocument }[];
  readonly managedPolicyArns: readonly string[];
}

export interface ArnContext {
  readonly region: string;
  readonly account: string;
  readonly partition?: string;
}

/** Stand-in physical name of a resource CloudFormation names itself. */
export function physicalNameOf(logicalId: string): string {
  return logicalId.toLowerCase();
}

type Resources = TemplateResources['Resources'];

function nameProperty(resources: Resources, id: string, property: string): string {
  const value = resources[id]?.Properties?.[property];
  return typeof value === 'string' ? value : physicalNameOf(id);
}

/** ARN of a resource of the template (what `Fn::GetAtt [id, Arn]` or an ARN-valued `Ref` gives). */
export function arnOfResource(resources: Resources, id: string, ctx: ArnContext): string {
  const type = resources[id]?.Type;
  const p = ctx.partition ?? 'aws';
  const { region, account } = ctx;
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:${p}:s3:::${nameProperty(resources, id, 'BucketName')}`;
    case 'AWS::Lambda::Function':
      return `arn:${p}:lambda:${region}:${account}:function:${nameProperty(resources, id, 'FunctionName')}`;
    case 'AWS::IAM::Role':
      return `arn:${p}:iam::${account}:role/${nameProperty(resources, id, 'RoleName')}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${p}:states:${region}:${account}:stateMachine:${nameProperty(resources, id, 'StateMachineName')}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${p}:logs:${region}:${account}:log-group:${nameProperty(resources, id, 'LogGroupName')}:*`;
    case 'AWS::SNS::Topic':
      return `arn:${p}:sns:${region}:${account}:${nameProperty(resources, id, 'TopicName')}`;
    case 'AWS::SageMaker::Endpoint':
      return `arn:${p}:sagemaker:${region}:${account}:endpoint/${nameProperty(resources, id, 'EndpointName').toLowerCase()}`;
    case 'AWS::SageMaker::InferenceComponent':
      return `arn:${p}:sagemaker:${region}:${account}:inference-component/${nameProperty(resources, id, 'InferenceComponentName').toLowerCase()}`;
    default:
      throw new Error(`IAM judge: no ARN format for ${id} (${type ?? 'not in the template'})`);
  }
}

/** `Ref` of a resource: the ARN for types whose Ref is their ARN, else the physical name. */
function refOf(resources: Resources, id: string, ctx: ArnContext): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': ctx.partition ?? 'aws',
    'AWS::Region': ctx.region,
    'AWS::AccountId': ctx.account,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (pseudo[id] !== undefined) return pseudo[id] as string;
  const type = resources[id]?.Type;
  if (type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::SNS::Topic') return arnOfResource(resources, id, ctx);
  if (type === 'AWS::S3::Bucket') return nameProperty(resources, id, 'BucketName');
  if (type === 'AWS::IAM::Role') return nameProperty(resources, id, 'RoleName');
  if (type === 'AWS::Lambda::Function') return nameProperty(resources, id, 'FunctionName');
  if (type === undefined) throw new Error(`IAM judge: Ref to ${id}, which is not in the template`);
  return physicalNameOf(id);
}

/** Resolves every intrinsic in a JSON value. */
export function resolveTemplateValue(value: unknown, resources: Resources, ctx: ArnContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveTemplateValue(v, resources, ctx));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj && typeof obj.Ref === 'string') return refOf(resources, obj.Ref, ctx);
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'] as [string, string];
    if (attr === 'Arn') return arnOfResource(resources, id, ctx);
    if (attr === 'EndpointName' || attr === 'InferenceComponentName' || attr === 'Name') return nameProperty(resources, id, attr === 'Name' ? 'Name' : attr);
    throw new Error(`IAM judge: unsupported Fn::GetAtt ${id}.${attr}`);
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolveTemplateValue(part, resources, ctx))).join(sep);
  }
  if ('Fn::Sub' in obj && typeof obj['Fn::Sub'] === 'string') {
    return (obj['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      const [id, attr] = name.split('.');
      return String(attr === undefined ? refOf(resources, id as string, ctx) : resolveTemplateValue({ 'Fn::GetAtt': [id, attr] }, resources, ctx));
    });
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveTemplateValue(v, resources, ctx)]));
}

function referencedRoleIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => (v !== null && typeof v === 'object' && typeof (v as { Ref?: unknown }).Ref === 'string' ? [(v as { Ref: string }).Ref] : []));
}

/** Every AWS::IAM::Role of the template with the policies attached to it (inline `Policies` and AWS::IAM::Policy). */
export function templateRoles(template: TemplateResources, ctx: ArnContext): Map<string, TemplateRole> {
  const resources = template.Resources;
  const roles = new Map<string, { arn: string; policies: { name: string; document: PolicyDocument }[]; managed: string[] }>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const props = resource.Properties ?? {};
    const inline = Array.isArray(props.Policies) ? (props.Policies as { PolicyName: string; PolicyDocument: unknown }[]) : [];
    const managed = Array.isArray(props.ManagedPolicyArns) ? props.ManagedPolicyArns.map((m) => String(resolveTemplateValue(m, resources, ctx))) : [];
    roles.set(id, {
      arn: arnOfResource(resources, id, ctx),
      policies: inline.map((p) => ({ name: p.PolicyName, document: resolveTemplateValue(p.PolicyDocument, resources, ctx) as PolicyDocument })),
      managed,
    });
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const props = resource.Properties ?? {};
    const document = resolveTemplateValue(props.PolicyDocument, resources, ctx) as PolicyDocument;
    for (const roleId of referencedRoleIds(props.Roles)) {
      roles.get(roleId)?.policies.push({ name: typeof props.PolicyName === 'string' ? props.PolicyName : id, document });
    }
  }
  return new Map(
    [...roles].map(([id, r]) => [id, { logicalId: id, arn: r.arn, policies: r.policies, managedPolicyArns: r.managed }]),
  );
}

/** Logical id of the role a Lambda function or state machine runs as (its `Role` / `RoleArn`). */
export function roleOfResource(template: TemplateResources, logicalId: string): string {
  const props = template.Resources[logicalId]?.Properties ?? {};
  const role = (props.Role ?? props.RoleArn) as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`IAM judge: ${logicalId} names no role of the template`);
  return id;
}
