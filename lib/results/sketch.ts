import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { distributionOf, EMPTY_DISTRIBUTION } from './distribution';
import { ExactSum } from './exact-sum';
import type { Distribution } from './records';

/**
 * Up to this many samples a sketch keeps every value and its percentiles are exact (nearest rank,
 * as distributionOf); past it the values move into an HDR histogram.
 */
export const EXACT_SAMPLE_LIMIT = 4096;

/**
 * Significant decimal digits of the HDR histogram: a percentile past the exact limit is within
 * 10^-3 relative of the exact nearest-rank value (HdrHistogram's value-precision contract,
 * https://github.com/HdrHistogram/HdrHistogramJS#readme "numberOfSignificantValueDigits").
 */
export const SIGNIFICANT_DIGITS = 3;

/** Values are stored as integer microseconds (µs) so sub-ms figures keep their precision. */
const UNITS_PER_MS = 1000;

/**
 * The serialized form of a sketch (JSON), to merge sketches measured in other processes: the
 * samples while exact, else the histogram (compressed base64) with the exact sum's partials.
 */
export type EncodedSketch =
  | { readonly exact: readonly number[] }
  | { readonly hdr: string; readonly sumPartials: readonly number[]; readonly min: number; readonly max: number; readonly count: number };

/**
 * A mergeable latency distribution in bounded memory: exact below {@link EXACT_SAMPLE_LIMIT}
 * samples, an HDR histogram (fixed size, {@link SIGNIFICANT_DIGITS} significant digits) above.
 * Count, sum (hence mean; an {@link ExactSum}, so independent of the order of the samples), min
 * and max are exact in both modes. Values are ms ≥ 0 (negatives are
 * taken as 0). Merging two sketches equals sketching the union of their samples (exactly while
 * small, within the histogram's precision otherwise): levels are merged this way, never by
 * averaging percentiles. The result does not depend on the order of samples or merges.
 */
export class LatencySketch {
  private exact: number[] | undefined = [];
  private hdr: Histogram | undefined;
  private sum = new ExactSum();
  private min = Infinity;
  private max = -Infinity;
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(valueMs: number): void {
    const v = valueMs > 0 ? valueMs : 0;
    this.n += 1;
    this.sum.add(v);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.exact !== undefined) {
      this.exact.push(v);
      if (this.exact.length > EXACT_SAMPLE_LIMIT) this.toHistogram();
    } else {
      this.hdr!.recordValue(Math.round(v * UNITS_PER_MS));
    }
  }

  /** Adds every sample of `other` to this sketch. */
  merge(other: LatencySketch): void {
    if (other.n === 0) return;
    this.sum.merge(other.sum);
    this.n += other.n;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    if (other.exact !== undefined) {
      if (this.exact !== undefined) {
        for (const v of other.exact) this.exact.push(v);
        if (this.exact.length > EXACT_SAMPLE_LIMIT) this.toHistogram();
      } else {
        for (const v of other.exact) this.hdr!.recordValue(Math.round(v * UNITS_PER_MS));
      }
      return;
    }
    if (this.exact !== undefined) this.toHistogram();
    this.hdr!.add(other.hdr!);
  }

  /**
   * The samples added since `earlier`, a snapshot of this sketch taken before (a cumulative sketch
   * read at a window's start and end, e.g. from another process): the window's own distribution.
   * Exact while this sketch is exact (the multiset difference of the samples); else the histograms
   * subtracted, with count and sum exact and percentiles, min and max within the histogram's
   * precision. Throws when `earlier` holds a sample this sketch lacks (it was no snapshot of it).
   */
  since(earlier: LatencySketch): LatencySketch {
    if (earlier.n > this.n) throw new RangeError(`the earlier sketch holds ${earlier.n} samples, more than the ${this.n} of the later one`);
    const window = new LatencySketch();
    if (this.exact !== undefined) {
      if (earlier.exact === undefined) throw new RangeError('the earlier sketch is no snapshot of the later one');
      const later = [...this.exact].sort((a, b) => a - b);
      const before = [...earlier.exact].sort((a, b) => a - b);
      let j = 0;
      for (const v of later) {
        if (j < before.length && before[j] === v) j += 1;
        else window.add(v);
      }
      if (j < before.length) throw new RangeError(`the earlier sketch holds ${before[j]} ms, which the later one lacks`);
      return window;
    }
    const h = newHistogram();
    h.add(this.hdr!);
    h.subtract(earlier.exact !== undefined ? histogramOf(earlier.exact) : earlier.hdr!);
    const n = this.n - earlier.n;
    if (n === 0) return window;
    window.exact = undefined;
    window.hdr = h;
    window.n = n;
    window.sum = ExactSum.decode([...this.sum.encode(), ...earlier.sum.encode().map((p) => -p)]);
    // The window's extremes are its histogram's, within the exact bounds of the whole.
    window.min = Math.min(this.max, Math.max(this.min, h.getValueAtPercentile(0) / UNITS_PER_MS));
    window.max = Math.min(this.max, Math.max(this.min, h.getValueAtPercentile(100) / UNITS_PER_MS));
    return window;
  }

  /** Mean, p50/p90/p99, min, max in ms; all zero when empty. */
  distribution(): Distribution {
    if (this.n === 0) return EMPTY_DISTRIBUTION;
    if (this.exact !== undefined) return distributionOf(this.exact);
    const h = this.hdr!;
    // The histogram's value at a percentile is the highest value equivalent to the sample at that
    // rank; clamp into [min, max], which are exact.
    const at = (p: number): number => Math.min(this.max, Math.max(this.min, h.getValueAtPercentile(p) / UNITS_PER_MS));
    return { mean: this.sum.value() / this.n, p50: at(50), p90: at(90), p99: at(99), min: this.min, max: this.max };
  }

  encode(): EncodedSketch {
    if (this.exact !== undefined) return { exact: [...this.exact] };
    return { hdr: encodeIntoCompressedBase64(this.hdr!), sumPartials: this.sum.encode(), min: this.min, max: this.max, count: this.n };
  }

  static decode(encoded: EncodedSketch): LatencySketch {
    const s = new LatencySketch();
    if ('exact' in encoded) {
      for (const v of encoded.exact) s.add(v);
      return s;
    }
    s.exact = undefined;
    s.hdr = newHistogram();
    s.hdr.add(decodeFromCompressedBase64(encoded.hdr));
    s.sum = ExactSum.decode(encoded.sumPartials);
    s.min = encoded.min;
    s.max = encoded.max;
    s.n = encoded.count;
    return s;
  }

  private toHistogram(): void {
    this.hdr = histogramOf(this.exact!);
    this.exact = undefined;
  }
}

function histogramOf(values: readonly number[]): Histogram {
  const h = newHistogram();
  for (const v of values) h.recordValue(Math.round(v * UNITS_PER_MS));
  return h;
}

function newHistogram(): Histogram {
  return build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: true, lowestDiscernibleValue: 1 });
}
