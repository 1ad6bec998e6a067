import { getLmiImage, getTgiImage } from '../../catalog';
import { UserInputError } from '../../errors';
import { problem, type DeploymentRule } from './types';

/** The engine's image (Hugging Face LLM DLC for TGI, djl-inference for LMI) is published per region. */
export const regionHasImage: DeploymentRule = {
  id: 'region-has-image',
  description: "the region has the engine's image",
  impossibleCombination: false,
  check: ({ region, lmi }) => {
    try {
      if (lmi !== undefined) getLmiImage(region);
      else getTgiImage(region);
      return [];
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      return [problem('region-has-image', 'region', error.message.replace(/^[^:]*:\s*/, ''))];
    }
  },
};
