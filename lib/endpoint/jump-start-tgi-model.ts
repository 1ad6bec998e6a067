import type { Construct } from 'constructs';
import { getModel } from '../catalog';
import type { TgiSettings } from '../catalog/types';
import { resolveTgiSettings } from '../planner/deployment-shape';
import type { InstanceType } from './instance-type';
import { jumpStartModelProps, jumpStartTp, type JumpStartModelCommonProps } from './jump-start-model';
import { TgiModel } from './tgi-model';
import type { TgiContainerSettings, TgiQuantize } from './tgi-settings-env';

export interface JumpStartTgiModelProps extends JumpStartModelCommonProps {
  /** Catalog model id (`llama-2-7b`) or JumpStart id (`meta-textgeneration-llama-2-7b`). */
  readonly modelId: string;
  /** Instance type the model will run on (picks JumpStart's default TP and TGI settings). */
  readonly instanceType: InstanceType;
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
  /**
   * Weight quantization (`HF_MODEL_QUANTIZE`).
   * @default - none: weights served in their checkpoint dtype
   */
  readonly quantize?: TgiQuantize;
  /**
   * Compute dtype (`DTYPE`).
   * @default - the checkpoint's dtype
   */
  readonly dtype?: 'float16' | 'bfloat16';
  /**
   * Escape hatch: extra container environment variables, applied last.
   * @default - none
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /**
   * TGI image URI.
   * @default - the catalog's image for the region
   */
  readonly image?: string;
}

/**
 * A TgiModel from a catalog entry: JumpStart's prepacked artifacts for the stack's region
 * (falling back to `HF_MODEL_ID` where the catalog has none) and JumpStart's default TGI settings.
 */
export class JumpStartTgiModel extends TgiModel {
  constructor(scope: Construct, id: string, props: JumpStartTgiModelProps) {
    const model = getModel(props.modelId, 'modelId');
    const instance = props.instanceType.spec;
    const tp = jumpStartTp(model, instance, props.tp, () => resolveTgiSettings(model, instance, 1, props.tgi).maxTotalTokens);
    const settings: TgiContainerSettings = {
      ...resolveTgiSettings(model, instance, tp, props.tgi),
      tp,
      quantize: props.quantize,
      dtype: props.dtype,
      extraEnv: props.extraEnv,
    };
    super(scope, id, { ...jumpStartModelProps(scope, model, props), settings });
  }
}
