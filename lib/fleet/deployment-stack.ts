import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InferenceComponentEndpoint } from '../endpoint/inference-component-endpoint';
import { InstanceType } from '../endpoint/instance-type';
import { JumpStartLmiModel } from '../endpoint/jump-start-lmi-model';
import { JumpStartTgiModel } from '../endpoint/jump-start-tgi-model';
import type { ServingModel } from '../endpoint/serving-model';
import { LlmEndpoint } from '../endpoint/llm-endpoint';
import type { LlmEndpointBase } from '../endpoint/endpoint-base';
import { acknowledgeWildcardFindings } from './nag-acknowledgements';
import type { ResolvedAutoscaling, ResolvedDeployment } from './types';

export interface DeploymentStackProps extends StackProps {
  /** Fleet the deployment belongs to (stack description and tags). */
  readonly fleetName: string;
  /** The resolved deployment: model, instance type, layout, names. */
  readonly deployment: ResolvedDeployment;
}

/**
 * One deployment of a fleet: a TGI or LMI model and its endpoint (variant or inference components).
 * One stack per deployment so each can be deployed and destroyed alone.
 */
export class DeploymentStack extends Stack {
  public readonly deployment: ResolvedDeployment;
  public readonly model: ServingModel;
  public readonly endpoint: LlmEndpointBase;
  private readonly instanceType: InstanceType;

  constructor(scope: Construct, id: string, props: DeploymentStackProps) {
    const d = props.deployment;
    super(scope, id, {
      stackName: d.stackName,
      description: `llm-bench ${props.fleetName}/${d.id}: ${d.model.id}${d.engine === 'lmi' ? ' (LMI)' : ''} on ${d.instances} × ${d.instanceType.name}, ${d.layout}, tp ${d.tp}, copies ${d.copies}`,
      ...props,
    });
    this.deployment = d;
    this.instanceType = InstanceType.fromSpec(d.instanceType);
    Tags.of(this).add('llm-bench:fleet', props.fleetName);
    Tags.of(this).add('llm-bench:deployment', d.id);
    this.model =
      d.engine === 'lmi'
        ? new JumpStartLmiModel(this, 'Model', {
            modelId: d.model.id,
            instanceType: this.instanceType,
            tp: d.tp,
            lmi: d.lmi,
            dtype: d.dtype,
            extraEnv: d.extraEnv,
            acceptEula: d.acceptEula,
          })
        : new JumpStartTgiModel(this, 'Model', {
            modelId: d.model.id,
            instanceType: this.instanceType,
            tp: d.tp,
            tgi: d.tgi,
            quantize: d.quantize,
            dtype: d.dtype,
            extraEnv: d.extraEnv,
            acceptEula: d.acceptEula,
          });
    this.endpoint = d.layout === 'variant' ? this.variantEndpoint(d) : this.componentEndpoint(d);
    new CfnOutput(this, 'EndpointName', { value: d.endpointName });
    if (d.inferenceComponentName) new CfnOutput(this, 'InferenceComponentName', { value: d.inferenceComponentName });
    acknowledgeWildcardFindings(
      this.model.role,
      'Wildcards are scoped: objects under the JumpStart artifact prefix (prefix*), log groups under /aws/sagemaker/*, ' +
        'and ecr:GetAuthorizationToken / cloudwatch:PutMetricData, which have no resource-level permissions (PutMetricData is namespace-conditioned).',
    );
  }

  private variantEndpoint(d: ResolvedDeployment): LlmEndpoint {
    const a = d.autoscaling?.kind === 'instances' ? d.autoscaling : undefined;
    return new LlmEndpoint(this, 'Endpoint', {
      model: this.model,
      instanceType: this.instanceType,
      instanceCount: d.instances,
      endpointName: d.endpointName,
      routingStrategy: d.routing,
      autoscaling: a && {
        minInstances: a.minInstances,
        maxInstances: a.maxInstances,
        metric: a.metric === 'invocations' ? 'invocations-per-instance' : 'concurrent-requests-per-model',
        targetValue: a.targetValue,
        scaleInCooldownS: a.scaleInCooldownS,
        scaleOutCooldownS: a.scaleOutCooldownS,
      },
    });
  }

  private componentEndpoint(d: ResolvedDeployment): InferenceComponentEndpoint {
    const a: Extract<ResolvedAutoscaling, { kind: 'copies' }> | undefined = d.autoscaling?.kind === 'copies' ? d.autoscaling : undefined;
    return new InferenceComponentEndpoint(this, 'Endpoint', {
      instanceType: this.instanceType,
      instanceCount: d.instances,
      minInstances: a?.minInstances,
      maxInstances: a?.maxInstances,
      endpointName: d.endpointName,
      routingStrategy: d.routing,
      components: [
        {
          name: d.inferenceComponentName ?? `${d.endpointName}-ic`,
          model: this.model,
          copies: d.copies,
          autoscaling: a && {
            minCopies: a.minCopies,
            maxCopies: a.maxCopies,
            metric: a.metric === 'invocations' ? 'invocations-per-copy' : 'concurrent-requests-per-copy',
            targetValue: a.targetValue,
            scaleInCooldownS: a.scaleInCooldownS,
            scaleOutCooldownS: a.scaleOutCooldownS,
            scaleToZero: a.scaleToZero,
          },
        },
      ],
    });
  }
}
