/**
 * The catalog: accelerators, SageMaker instance types, models and TGI images, each figure
 * with its source. Import from here, not from the data files.
 */
export type * from './types';
export { ACCELERATORS, A10G, L4, L40S, A100_40GB, A100_80GB, H100_SXM } from './accelerators';
export {
  getModel,
  listModels,
  getInstanceType,
  listInstanceTypes,
  getTgiImage,
  listTgiImageRegions,
  getLmiImage,
  listLmiImageRegions,
  listLmiVersions,
  TGI_IMAGE_VERSIONS,
  type TgiImageVersion,
  jumpStartModelDataS3Uri,
  normalizeInstanceName,
  closeMatches,
} from './lookup';
export {
  parsePriceOverrides,
  parseDiscount,
  checkDiscount,
  hourlyPriceUsd,
  quotePrice,
  describePrice,
  priceAgeDays,
  isStale,
  shippedPriceRows,
  DEFAULT_PRICE_REGION,
  STALE_AFTER_DAYS,
} from './prices';
export type { PriceOverrides, Pricing, PriceQuote, PriceOrigin, PriceRow } from './prices';
export { listUnverifiedFigures } from './unverified';
export { containerDefaults, type ContainerDefaults, type DefaultOrigin } from './container-defaults';
export { JUMPSTART_CONTAINER_SPECS, jumpStartContainerSpec, type ContainerDefaultName, type JumpStartContainerSpec } from './jumpstart-specs';
export { lmiContainerDefaults, LMI_CONTAINER_DEFAULTS, type LmiContainerDefaults, type LmiDefaultName } from './lmi-defaults';
export { JUMPSTART_LMI_SPECS, jumpStartEngine, jumpStartLmiSpec, type JumpStartLmiSpec } from './jumpstart-lmi-specs';
export { LMI_RELEASES, LMI_DEFAULT_RELEASE, type LmiRelease } from './lmi-images';
