import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { getInstanceType, getModel, jumpStartModelDataS3Uri } from '../catalog';
import type { InstanceTypeSpec, TgiSettings } from '../catalog/types';
import { resolveTgiSettings } from '../planner/tgi-settings';
import { resolvedRegion, TgiModel } from './tgi-model';
import type { TgiContainerSettings, TgiQuantize } from './tgi-settings-env';

export interface JumpStartTgiModelProps {
  /** Catalog model id (`llama-2-7b`) or JumpStart id (`meta-textgeneration-llama-2-7b`). */
  readonly modelId: string;
  /** Instance type the model will run on (picks JumpStart's default TP and TGI settings). */
  readonly instanceType: string | InstanceTypeSpec;
  /**
   * Tensor-parallel degree.
   * @default - JumpStart's default for the instance type (all its GPUs)
   */
  readonly tp?: number;
  /**
   * TGI settings over JumpStart's defaults.
   * @default - JumpStart's defaults for the model
   */
  readonly tgi?: Partial<TgiSettings>;
  /** @default - none */
  readonly quantize?: TgiQuantize;
  /** @default - the checkpoint's dtype */
  readonly dtype?: 'float16' | 'bfloat16';
  /** @default - none */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Accept the model's license (required for gated models). @default false */
  readonly acceptEula?: boolean;
  /** @default - true with JumpStart artifacts, false with HF_MODEL_ID */
  readonly enableNetworkIsolation?: boolean;
  /** @default - a least-privilege role */
  readonly role?: iam.IRole;
  /** @default - generated */
  readonly modelName?: string;
  /** TGI image URI. @default - the catalog's image for the region */
  readonly image?: string;
}

/**
 * A TgiModel from a catalog entry: JumpStart's prepacked artifacts for the stack's region
 * (falling back to `HF_MODEL_ID` where the catalog has none) and JumpStart's default TGI settings.
 */
export class JumpStartTgiModel extends TgiModel {
  constructor(scope: Construct, id: string, props: JumpStartTgiModelProps) {
    const model = getModel(props.modelId, 'modelId');
    const instance = typeof props.instanceType === 'string' ? getInstanceType(props.instanceType, 'instanceType') : props.instanceType;
    const tp = props.tp ?? model.defaultTpByInstance[instance.name] ?? instance.acceleratorCount;
    const settings: TgiContainerSettings = {
      ...resolveTgiSettings(model, instance, tp, props.tgi),
      tp,
      quantize: props.quantize,
      dtype: props.dtype,
      extraEnv: props.extraEnv,
    };
    const modelDataS3Uri = jumpStartModelDataS3Uri(model, resolvedRegion(scope));
    super(scope, id, {
      model,
      settings,
      modelDataS3Uri,
      acceptEula: props.acceptEula,
      enableNetworkIsolation: props.enableNetworkIsolation,
      role: props.role,
      modelName: props.modelName,
      image: props.image,
    });
  }
}
