/**
 * Cost figures (docs/theory.md "Measures"): price per hour of a deployment, cost per 1M generated
 * tokens at a throughput, and the ranking of instance types by price per GB/s of memory bandwidth,
 * the figure that decides memory-bound decode.
 */
import { DEFAULT_PRICE_REGION, quotePrice, type PriceQuote, type Pricing } from '../catalog';
import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { fewestAcceleratorsFor } from './deployment-shape';

/** Prices of the default region (us-east-1, shipped table) when a caller gives none. */
const DEFAULT_PRICING: Pricing = { region: DEFAULT_PRICE_REGION };

/** Price of `instances` instances of a type per hour, USD, discounted, in the pricing's region. */
export function deploymentHourlyUsd(instance: InstanceTypeSpec, instances = 1, pricing: Pricing = DEFAULT_PRICING): number {
  return quotePrice(instance.name, pricing).usd * instances;
}

/** The price quote of one instance and the hourly price of `instances` of them. */
export function deploymentPrice(instance: InstanceTypeSpec, instances = 1, pricing: Pricing = DEFAULT_PRICING): { hourlyUsd: number; quote: PriceQuote } {
  const quote = quotePrice(instance.name, pricing);
  return { hourlyUsd: quote.usd * instances, quote };
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
  readonly pricing?: Pricing;
  /** When given, each entry says whether the instance can hold the model at its critical batch. */
  readonly model?: ModelSpec;
  /** Input + output tokens per sequence for the critical-batch KV cache. @default 512 */
  readonly tokensPerSequence?: number;
}

/**
 * Instance types from cheapest to dearest per GB/s of aggregate memory bandwidth (docs/theory.md's
 * recipe: find the fewest accelerators for weights + KV of B*, then rank by cost per GB/s, then
 * benchmark). With a model, instances that can hold B* sequences come first.
 */
export function rankByCostPerBandwidth(instances: readonly InstanceTypeSpec[], options: RankOptions = {}): BandwidthCostRank[] {
  const tokensPerSequence = options.tokensPerSequence ?? 512;
  const rows = instances.map((instance): BandwidthCostRank => {
    const hourlyUsd = deploymentHourlyUsd(instance, 1, options.pricing);
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
