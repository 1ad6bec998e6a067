import type { Construct } from 'constructs';
import { getLmiImage } from '../catalog';
import type { LmiSettings } from '../catalog/types';
import { lmiEnv, lmiRequestLimits } from '../planner/deployment-shape';
import { ServingModel, type ServingModelCheck, type ServingModelProps } from './serving-model';

/** Typed LMI settings of one container (rendered by `lmiEnv`: `TENSOR_PARALLEL_DEGREE`, `OPTION_*`, `MAX_CONCURRENT_REQUESTS`). */
export interface LmiContainerSettings extends LmiSettings {
  /** Tensor-parallel degree: GPUs one model copy is sharded over (`TENSOR_PARALLEL_DEGREE`). */
  readonly tp: number;
  /**
   * Compute dtype (`OPTION_DTYPE`).
   * @default - the checkpoint's dtype (`auto`)
   */
  readonly dtype?: 'float16' | 'bfloat16';
  /**
   * Escape hatch: extra environment variables (e.g. `OPTION_ENFORCE_EAGER`), applied last. The
   * endpoints check the result against LMI's and vLLM's start rules (e.g. `OPTION_MAX_NUM_SEQS`
   * disagreeing with `maxRollingBatchSize` is refused).
   * @default - none
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** The container environment of typed LMI settings, escape hatch last. */
export function lmiSettingsEnv(settings: LmiContainerSettings): Record<string, string> {
  return { ...lmiEnv(settings), ...(settings.extraEnv ?? {}) };
}

export interface LmiModelProps extends ServingModelProps {
  /** LMI settings rendered as container environment; `maxRollingBatchSize` is always set explicitly. */
  readonly settings: LmiContainerSettings;
  /**
   * LMI image URI.
   * @default - the catalog's newest `djl-inference` image (LMI 27.0.0) for the stack's region (`getLmiImage`)
   */
  readonly image?: string;
}

/**
 * A SageMaker model serving one LLM with LMI (`djl-inference`, vLLM async engine). `HF_MODEL_ID` is
 * `/opt/ml/model` when the weights come from S3 (JumpStart's prepacked artifacts), else the Hugging
 * Face repository. The same endpoint and inference-component constructs serve it as a `TgiModel`.
 * Configuration: https://github.com/deepjavalibrary/djl-serving/blob/0.36.0-lmi27-dlc/serving/docs/lmi/deployment_guide/configurations.md
 */
export class LmiModel extends ServingModel {
  public readonly settings: LmiContainerSettings;

  constructor(scope: Construct, id: string, props: LmiModelProps) {
    super(scope, id, props, {
      engine: 'lmi',
      engineLabel: 'LMI',
      environment: (hfModelId) => ({ ...lmiEnv(props.settings), HF_MODEL_ID: hfModelId, ...(props.settings.extraEnv ?? {}) }),
      defaultImage: (region, field) => getLmiImage(region, field).uri,
    });
    this.settings = props.settings;
  }

  public deploymentCheck(): ServingModelCheck {
    return { tgi: lmiRequestLimits(this.settings), lmi: this.settings, dtype: this.settings.dtype, extraEnv: this.settings.extraEnv };
  }
}
