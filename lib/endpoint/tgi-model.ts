import type { Construct } from 'constructs';
import { getTgiImage } from '../catalog';
import { ServingModel, type ServingModelCheck, type ServingModelProps } from './serving-model';
import { tgiSettingsEnv, type TgiContainerSettings } from './tgi-settings-env';

export { resolvedRegion } from './serving-model';

export interface TgiModelProps extends ServingModelProps {
  /** TGI settings rendered as container environment (`SM_NUM_GPUS`, `MAX_*`, ...). */
  readonly settings: TgiContainerSettings;
  /**
   * TGI image URI (e.g. `getTgiImage(region, 'region', '3.3.6').uri` for the newest DLC).
   * @default - the catalog's pinned Hugging Face LLM DLC (TGI 2.3.1) for the stack's region (`getTgiImage`)
   */
  readonly image?: string;
}

/**
 * A SageMaker model serving one LLM with Hugging Face TGI. It is `IGrantable`: grants to the model
 * go to the execution role the container runs with (e.g. `bucket.grantRead(model)`).
 */
export class TgiModel extends ServingModel {
  public readonly settings: TgiContainerSettings;

  constructor(scope: Construct, id: string, props: TgiModelProps) {
    super(scope, id, props, {
      engine: 'tgi',
      engineLabel: 'TGI',
      environment: (hfModelId) => ({ ...tgiSettingsEnv(props.settings), HF_MODEL_ID: hfModelId, ...(props.settings.extraEnv ?? {}) }),
      defaultImage: (region, field) => getTgiImage(region, field).uri,
    });
    this.settings = props.settings;
  }

  public deploymentCheck(): ServingModelCheck {
    return { tgi: this.settings, dtype: this.settings.dtype, extraEnv: this.settings.extraEnv };
  }
}
