import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION, componentResourceId, variantResourceId } from '../../../lib/endpoint/scalable-dimensions';
import type { ResolvedDeployment } from '../../../lib/fleet/types';
import type { LocalScalableTarget } from './application-auto-scaling';

/**
 * The scalable target a deployment's stack registers (lib/endpoint: copies of its inference component,
 * min 0 with scale to zero; or instances of its variant), for the local Application Auto Scaling.
 */
export function scalableTargetsOf(d: ResolvedDeployment, variantName = 'AllTraffic'): LocalScalableTarget[] {
  const a = d.autoscaling;
  if (a === undefined) return [];
  if (a.kind === 'copies') {
    if (d.inferenceComponentName === undefined) return [];
    return [
      {
        resourceId: componentResourceId(d.inferenceComponentName),
        scalableDimension: COMPONENT_COPY_DIMENSION,
        minCapacity: a.scaleToZero ? 0 : a.minCopies,
        maxCapacity: a.maxCopies,
        scaleOutFromZero: a.scaleToZero,
      },
    ];
  }
  return [{ resourceId: variantResourceId(d.endpointName, variantName), scalableDimension: VARIANT_INSTANCE_DIMENSION, minCapacity: a.minInstances, maxCapacity: a.maxInstances }];
}
