import { getInstanceType, jumpStartModelDataS3Uri, listModels } from '../../lib/catalog';
import type { InstanceTypeSpec, ModelSpec } from '../../lib/catalog/types';
import type { RouterPolicy } from '../../lib/planner/engine/types';
import { resolveTemplateValue } from '../local/judges/iam/template-roles';
import { COPY_COUNT_READER_TYPE } from '../../lib/endpoint/copy-count-reader';
import type { CfnTemplate } from './definition';

/**
 * A deployment as its synthesized CloudFormation template declares it: the SageMaker Model's
 * container (image, Environment, ModelDataSource), the EndpointConfig's production variant
 * (instance type and count, ManagedInstanceScaling, RoutingConfig) and the InferenceComponents
 * (copies, accelerators). The offline run starts its local endpoint from this, so what the
 * template says is what runs. Property shapes:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-model.html,
 * …/aws-resource-sagemaker-endpointconfig.html, …/aws-resource-sagemaker-inferencecomponent.html
 */

export interface TemplateComponent {
  readonly name: string;
  /** RuntimeConfig.CopyCount: copies across the endpoint. */
  readonly copies: number;
  /** ComputeResourceRequirements.NumberOfAcceleratorDevicesRequired: GPUs each copy's container sees. */
  readonly acceleratorsPerCopy: number;
}

/**
 * An Application Auto Scaling target the stack registers
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalabletarget.html),
 * for the local Application Auto Scaling.
 */
export interface TemplateScalableTarget {
  /** `endpoint/{name}/variant/{variant}` or `inference-component/{name}`. */
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** A step-scaling policy adds capacity from zero (the NoCapacityInvocationFailures alarm's action). */
  readonly scaleOutFromZero: boolean;
}

export interface TemplateDeployment {
  /** The stack's `llm-bench:deployment` tag. */
  readonly deploymentId: string | undefined;
  readonly endpointName: string;
  readonly image: string;
  /** PrimaryContainer.Environment, as the container receives it. */
  readonly environment: Readonly<Record<string, string>>;
  readonly modelDataS3Uri: string | undefined;
  readonly model: ModelSpec;
  readonly variantName: string;
  readonly instance: InstanceTypeSpec;
  /** InitialInstanceCount. */
  readonly instances: number;
  readonly managedInstanceScaling?: { readonly status: string; readonly minInstances?: number; readonly maxInstances?: number };
  /** RoutingConfig.RoutingStrategy; SageMaker's default is RANDOM. */
  readonly routingStrategy: 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM';
  /** Empty: the model is served by the variant itself. */
  readonly components: readonly TemplateComponent[];
  readonly scalableTargets: readonly TemplateScalableTarget[];
}

type Resource = CfnTemplate['Resources'][string];

/** RoutingConfig default when absent: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantRoutingConfig.html */
const DEFAULT_ROUTING = 'RANDOM';

/** The engine's router for a SageMaker routing strategy. */
export function routerOf(strategy: TemplateDeployment['routingStrategy']): RouterPolicy {
  return strategy === 'LEAST_OUTSTANDING_REQUESTS' ? 'least-outstanding' : 'random';
}

function ofType(template: CfnTemplate, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function field<T>(value: unknown, path: string, check: (v: unknown) => v is T, expected: string): T {
  if (!check(value)) throw new Error(`template: ${path} must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Logical id a `{ Fn::GetAtt: [id, attr] }` or `{ Ref: id }` points at, or undefined. */
function referencedId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return typeof value.Ref === 'string' ? value.Ref : undefined;
}

/**
 * RuntimeConfig.CopyCount at creation: the number, or, for an autoscaled component whose copies come
 * from the copy-count reader (lib/endpoint/copy-count-reader.ts), the planned copies it answers while
 * the component does not exist yet.
 */
function creationCopies(value: unknown, template: CfnTemplate): unknown {
  const id = referencedId(value);
  const reader = id === undefined ? undefined : template.Resources[id];
  return reader?.Type === COPY_COUNT_READER_TYPE ? reader.Properties?.PlannedCopies : value;
}

function tagValue(resource: Resource, key: string): string | undefined {
  const tags = resource.Properties?.Tags;
  if (!Array.isArray(tags)) return undefined;
  const tag = (tags as { Key?: unknown; Value?: unknown }[]).find((t) => t.Key === key);
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
}

/** The catalog model a container serves: its ModelDataSource (JumpStart artifacts) or HF_MODEL_ID. */
function modelOf(s3Uri: string | undefined, hfModelId: string | undefined, region: string): ModelSpec {
  const models = listModels();
  const byArtifact = s3Uri === undefined ? undefined : models.find((m) => jumpStartModelDataS3Uri(m, region) === s3Uri);
  const byHub = hfModelId === undefined ? undefined : models.find((m) => m.huggingFaceId === hfModelId);
  const model = byArtifact ?? byHub;
  if (model === undefined) {
    throw new Error(`template: no catalog model serves ModelDataSource ${s3Uri ?? '(none)'} / HF_MODEL_ID ${hfModelId ?? '(none)'} in ${region}`);
  }
  return model;
}

function scalableTargetsOf(template: CfnTemplate, region: string): TemplateScalableTarget[] {
  const policies = ofType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(([, r]) => r.Properties ?? {});
  return ofType(template, 'AWS::ApplicationAutoScaling::ScalableTarget').map(([id, r]) => {
    const p = r.Properties ?? {};
    const resourceId = resolveTemplateValue(p.ResourceId, template.Resources, { region, account: '' });
    return {
      resourceId: field(resourceId, `${id}.ResourceId`, isString, 'a string'),
      scalableDimension: field(p.ScalableDimension, `${id}.ScalableDimension`, isString, 'a string'),
      minCapacity: field(p.MinCapacity, `${id}.MinCapacity`, isCount, 'a whole number'),
      maxCapacity: field(p.MaxCapacity, `${id}.MaxCapacity`, isCount, 'a whole number'),
      scaleOutFromZero: p.MinCapacity === 0 && policies.some((policy) => policy.PolicyType === 'StepScaling' && referencedId(policy.ScalingTargetId) === id),
    };
  });
}

/** Reads the one endpoint of a deployment stack's template. */
export function readTemplateDeployment(template: CfnTemplate, region: string): TemplateDeployment {
  const endpoints = ofType(template, 'AWS::SageMaker::Endpoint');
  if (endpoints.length !== 1) throw new Error(`template: expected one AWS::SageMaker::Endpoint, found ${endpoints.length} (pass a deployment stack's template)`);
  const [, endpoint] = endpoints[0] as [string, Resource];
  const endpointName = field(endpoint.Properties?.EndpointName, 'AWS::SageMaker::Endpoint.EndpointName', isString, 'a string');
  const configId = referencedId(endpoint.Properties?.EndpointConfigName);
  const config = configId === undefined ? undefined : template.Resources[configId];
  if (config?.Type !== 'AWS::SageMaker::EndpointConfig') throw new Error(`template: endpoint ${endpointName} names no EndpointConfig of the template`);
  const variants = field(config.Properties?.ProductionVariants, 'EndpointConfig.ProductionVariants', Array.isArray, 'a list') as unknown[];
  if (variants.length !== 1) throw new Error(`template: the local endpoint serves one production variant, the EndpointConfig has ${variants.length}`);
  const variant = field(variants[0], 'ProductionVariants[0]', isRecord, 'an object');
  const variantName = field(variant.VariantName, 'ProductionVariants[0].VariantName', isString, 'a string');
  const instance = getInstanceType(field(variant.InstanceType, 'ProductionVariants[0].InstanceType', isString, 'a string'), 'ProductionVariants[0].InstanceType');
  const instances = field(variant.InitialInstanceCount, 'ProductionVariants[0].InitialInstanceCount', isCount, 'a whole number');
  const routing = isRecord(variant.RoutingConfig) ? variant.RoutingConfig.RoutingStrategy : undefined;
  const routingStrategy = routing === undefined ? DEFAULT_ROUTING : field(routing, 'RoutingConfig.RoutingStrategy', (v): v is 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM' => v === 'LEAST_OUTSTANDING_REQUESTS' || v === 'RANDOM', "'LEAST_OUTSTANDING_REQUESTS' or 'RANDOM'");
  const mis = isRecord(variant.ManagedInstanceScaling) ? variant.ManagedInstanceScaling : undefined;

  const components = ofType(template, 'AWS::SageMaker::InferenceComponent').map(([id, r]) => ({ id, properties: r.Properties ?? {} }));
  const modelIds = new Set<string>();
  const variantModel = referencedId(variant.ModelName);
  if (variantModel !== undefined) modelIds.add(variantModel);
  const readComponents: TemplateComponent[] = components.map(({ id, properties }) => {
    const spec = field(properties.Specification, `${id}.Specification`, isRecord, 'an object');
    const modelId = referencedId(spec.ModelName);
    if (modelId !== undefined) modelIds.add(modelId);
    const compute = field(spec.ComputeResourceRequirements, `${id}.Specification.ComputeResourceRequirements`, isRecord, 'an object');
    const runtime = field(properties.RuntimeConfig, `${id}.RuntimeConfig`, isRecord, 'an object');
    return {
      name: field(properties.InferenceComponentName, `${id}.InferenceComponentName`, isString, 'a string'),
      copies: field(creationCopies(runtime.CopyCount, template), `${id}.RuntimeConfig.CopyCount`, isCount, 'a whole number'),
      acceleratorsPerCopy: field(compute.NumberOfAcceleratorDevicesRequired ?? 0, `${id}.ComputeResourceRequirements.NumberOfAcceleratorDevicesRequired`, isCount, 'a whole number'),
    };
  });
  if (modelIds.size !== 1) throw new Error(`template: the local endpoint serves one SageMaker Model; the variant and components use ${modelIds.size}`);
  const modelId = [...modelIds][0] as string;
  const modelResource = template.Resources[modelId];
  if (modelResource?.Type !== 'AWS::SageMaker::Model') throw new Error(`template: ${modelId} is not an AWS::SageMaker::Model`);
  const container = field(modelResource.Properties?.PrimaryContainer, `${modelId}.PrimaryContainer`, isRecord, 'an object');
  const image = field(container.Image, `${modelId}.PrimaryContainer.Image`, isString, 'a string (a resolved image URI)');
  const environment = field(container.Environment ?? {}, `${modelId}.PrimaryContainer.Environment`, isRecord, 'an object') as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) env[name] = field(value, `${modelId}.PrimaryContainer.Environment.${name}`, isString, 'a string');
  const source = isRecord(container.ModelDataSource) && isRecord(container.ModelDataSource.S3DataSource) ? container.ModelDataSource.S3DataSource : undefined;
  const modelDataS3Uri = source === undefined ? undefined : field(source.S3Uri, `${modelId}.ModelDataSource.S3DataSource.S3Uri`, isString, 'a string');

  return {
    deploymentId: tagValue(endpoint, 'llm-bench:deployment'),
    endpointName,
    image,
    environment: env,
    modelDataS3Uri,
    model: modelOf(modelDataS3Uri, env.HF_MODEL_ID, region),
    variantName,
    instance,
    instances,
    ...(mis
      ? {
          managedInstanceScaling: {
            status: String(mis.Status ?? 'ENABLED'),
            ...(typeof mis.MinInstanceCount === 'number' ? { minInstances: mis.MinInstanceCount } : {}),
            ...(typeof mis.MaxInstanceCount === 'number' ? { maxInstances: mis.MaxInstanceCount } : {}),
          },
        }
      : {}),
    routingStrategy,
    components: readComponents,
    scalableTargets: scalableTargetsOf(template, region),
  };
}
