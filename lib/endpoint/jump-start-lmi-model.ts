import type { Construct } from 'constructs';
import { getModel, lmiContainerDefaults } from '../catalog';
import type { LmiSettings } from '../catalog/types';
import { resolveLmiSettings } from '../planner/deployment-shape';
import type { InstanceType } from './instance-type';
import { jumpStartModelProps, jumpStartTp, type JumpStartModelCommonProps } from './jump-start-model';
import { LmiModel, type LmiContainerSettings } from './lmi-model';

export interface JumpStartLmiModelProps extends JumpStartModelCommonProps {
  /** Catalog model id (`llama-3-1-8b`) or JumpStart id (`meta-textgeneration-llama-3-1-8b`). */
  readonly modelId: string;
  /** Instance type the model will run on (picks the default TP and LMI settings). */
  readonly instanceType: InstanceType;
  /**
   * Tensor-parallel degree (`TENSOR_PARALLEL_DEGREE`).
   * @default - JumpStart's default for the instance type (all its GPUs, LMI's `max`)
   */
  readonly tp?: number;
  /**
   * LMI settings over the catalog's defaults.
   * @default - `lmiContainerDefaults`: OPTION_MAX_ROLLING_BATCH_SIZE 32 (what LMI's async mode runs), OPTION_MAX_MODEL_LEN of the catalog's request budget, MAX_CONCURRENT_REQUESTS 1000
   */
  readonly lmi?: Partial<LmiSettings>;
  /**
   * Compute dtype (`OPTION_DTYPE`).
   * @default - the checkpoint's dtype
   */
  readonly dtype?: 'float16' | 'bfloat16';
  /**
   * Escape hatch: extra container environment variables, applied last (over JumpStart's own, e.g. OPTION_ENFORCE_EAGER).
   * @default - none
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /**
   * LMI image URI.
   * @default - the catalog's newest djl-inference image for the region
   */
  readonly image?: string;
}

/**
 * An LmiModel from a catalog entry: JumpStart's prepacked artifacts for the stack's region (falling
 * back to `HF_MODEL_ID` where the catalog has none), JumpStart's LMI environment and the catalog's
 * LMI defaults (each marked JumpStart's or derived in `lmiContainerDefaults`).
 */
export class JumpStartLmiModel extends LmiModel {
  constructor(scope: Construct, id: string, props: JumpStartLmiModelProps) {
    const model = getModel(props.modelId, 'modelId');
    const instance = props.instanceType.spec;
    const lmi = resolveLmiSettings(model, instance, props.lmi);
    const tp = jumpStartTp(model, instance, props.tp, () => lmi.maxModelLen);
    const specEnv = lmiContainerDefaults(model, instance).specEnv;
    const extraEnv = { ...specEnv, ...(props.extraEnv ?? {}) };
    const settings: LmiContainerSettings = {
      ...lmi,
      tp,
      ...(props.dtype !== undefined ? { dtype: props.dtype } : {}),
      ...(Object.keys(extraEnv).length > 0 ? { extraEnv } : {}),
    };
    super(scope, id, { ...jumpStartModelProps(scope, model, props), settings });
  }
}
