/**
 * Cost figures (CONTEXT.md "Measures"): price per hour of a deployment, cost per 1M generated
 * tokens at a throughput, and the ranking of instance types by price per GB/s of memory bandwidth,
 * the figure that decides memory-bound decode.
 */
import { hourlyPriceUsd, type PriceOverrides } from '../catalog';
import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { fewestAcceleratorsFor } from './fit';

/** On-demand price of `instances` instances of a type per hour, USD (catalog price or override). */
export function deploymentHourlyUsd(instance: InstanceTypeSpec, instances = 1, priceOverrides?: PriceOverrides): number {
  return hourlyPriceUsd(instance.name, priceOverrides) * instances;
}

export interface BandwidthCostRank {
  readonly instance: string;
  readonly hourlyUsd: number;
  /** Memory bandwidth of all accelerators of the instance, GB/s. */
  readonly aggregateBandwidthGBs: number;
  /** hourlyUsd / aggregateBandwidthGBs: USD per hour per GB/s (lower is better). */
  readonly usdPerHourPerGBs: number;
  /** With a model: the fewest accelerators holding weights + KV cache for B* sequences. */
  readonly acceleratorsNeeded?: number;
  /** With a model: whether the instance has that many accelerators. */
  readonly holdsCriticalBatch?: boolean;
}

export interface RankOptions {
  readonly priceOverrides?: PriceOverrides;
  /** When given, each entry says whether the instance can hold the model at its critical batch. */
  readonly model?: ModelSpec;
  /** Input + output tokens per sequence for the critical-batch KV cache. @default 512 */
  readonly tokensPerSequence?: number;
}

/**
 * Instance types from cheapest to dearest per GB/s of aggregate memory bandwidth (CONTEXT.md's
 * recipe: find the fewest accelerators for weights + KV of B*, then rank by cost per GB/s, then
 * benchmark). With a model, instances that can hold B* sequences come first.
 */
export function rankByCostPerBandwidth(instances: readonly InstanceTypeSpec[], options: RankOptions = {}): BandwidthCostRank[] {
  const tokensPerSequence = options.tokensPerSequence ?? 512;
  const rows = instances.map((instance): BandwidthCostRank => {
    const hourlyUsd = deploymentHourlyUsd(instance, 1, options.priceOverrides);
    const aggregateBandwidthGBs = instance.accelerator.memoryBandwidthGBs * instance.acceleratorCount;
    const row = { instance: instance.name, hourlyUsd, aggregateBandwidthGBs, usdPerHourPerGBs: hourlyUsd / aggregateBandwidthGBs };
    if (options.model === undefined) return row;
    const acceleratorsNeeded = fewestAcceleratorsFor(options.model, instance.accelerator, tokensPerSequence).accelerators;
    return { ...row, acceleratorsNeeded, holdsCriticalBatch: acceleratorsNeeded <= instance.acceleratorCount };
  });
  const holdsFirst = (row: BandwidthCostRank): number => (row.holdsCriticalBatch === false ? 1 : 0);
  return rows.sort(
    (a, b) => holdsFirst(a) - holdsFirst(b) || a.usdPerHourPerGBs - b.usdPerHourPerGBs || a.instance.localeCompare(b.instance),
  );
}
