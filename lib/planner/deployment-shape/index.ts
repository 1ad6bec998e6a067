/**
 * The deployment shape of one model on one instance type, in one place: TP choice and the heads
 * rule, the memory-fit rule, the knee bound, the TGI settings with the container start rules, and
 * the field-name mappers that let every caller (CLI, fleet, constructs) report its own names.
 */
export { chooseTp, jumpStartTp, supportedInstances, TpChoiceError, type ChooseTpRequest, type TpChoice, type TpSource } from './tp';
export { headsProblem, tpProblem, validTpDegrees } from './tp-degrees';
export { checkFit, fewestAcceleratorsFor, type AcceleratorsNeeded, type FitOptions, type FitResult } from './memory-fit';
export { kneeBound, type KneeBound, type KneeBoundRequest, type KneeLimit } from './knee-bound';
export { effectiveBatchTotalTokens, resolveTgiSettings, validateTgiSettings, type TgiMemoryContext } from './tgi-settings';
export { checkContainerStart, effectiveEnv, TGI_START_RULES, type ContainerStart, type TgiProblem, type TgiRule } from './tgi-rules';
export { LEGACY_INPUT_NAME, tgiEnv } from './container-env';
export { constructPropPath, envLabel, flagLabel, fleetPath, propLabel, TGI_ENV_NAMES, type FieldLabel, type TgiField } from './field-names';
export { LMI_ENV_NAMES, lmiEnv, VLLM_PASSTHROUGH_NAMES, type LmiField } from './lmi-env';
export {
  checkLmiContainerStart,
  lmiEffectiveEnv,
  LMI_START_RULES,
  type LmiContainerStart,
  type LmiFieldLabel,
  type LmiProblem,
  type LmiRule,
} from './lmi-rules';
export { lmiFleetPath, lmiPropLabel, lmiRequestLimits, resolveLmiSettings } from './lmi-settings';
