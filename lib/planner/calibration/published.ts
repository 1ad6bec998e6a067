import type { TgiSettings } from '../../catalog/types';
import publishedData from './llama-2-7b-published.json';

/**
 * The published Llama 2 7B sweeps (copied from ../shared/calibration so the repository is
 * self-contained): the only data the step-time parameters are fitted on.
 */

export interface PublishedSweep {
  readonly id: string;
  readonly model: string;
  readonly instance: string;
  readonly tp: number;
  readonly instances: number;
  readonly totalTokens: number;
  readonly outputTokens: number;
  /** Output tokens/s per concurrency level; null where the study has no figure (infeasible). */
  readonly throughput: readonly (number | null)[];
  /** ms per output token per concurrency level; null where the study has no figure. */
  readonly latency: readonly (number | null)[];
}

export interface PublishedStudy {
  readonly source: string;
  readonly concurrency: readonly number[];
  readonly sweeps: readonly PublishedSweep[];
}

export const PUBLISHED_STUDY: PublishedStudy = publishedData as PublishedStudy;

/**
 * TGI settings of the study's endpoints that differ from the JumpStart defaults in the catalog.
 * The ml.p4d.24xlarge sweep reports figures at c = 256 and 512 whose ms/token matches every request
 * being in flight (Little's law: 512 × 1000 / 165 ms ≈ 3,100 tokens/s vs 2,944 published), so that
 * endpoint admitted at least 512 requests; the default MAX_CONCURRENT_REQUESTS of 128 would have
 * refused three quarters of them. This is a fact about the study's deployment, not a fitted figure.
 * We assume the same for ml.p4de.24xlarge (same JumpStart p4 configuration; not verified).
 */
export function studyTgiOverrides(instance: string): Partial<TgiSettings> {
  return instance === 'ml.p4d.24xlarge' || instance === 'ml.p4de.24xlarge' ? { maxConcurrentRequests: 512 } : {};
}

/** One published figure pair of one level of one sweep. */
export interface PublishedCell {
  readonly sweep: PublishedSweep;
  readonly concurrency: number;
  readonly throughput: number | null;
  readonly latency: number | null;
}

/** Every level of every sweep with at least one published figure. */
export function publishedCells(study: PublishedStudy = PUBLISHED_STUDY): PublishedCell[] {
  const cells: PublishedCell[] = [];
  for (const sweep of study.sweeps) {
    study.concurrency.forEach((concurrency, i) => {
      const throughput = sweep.throughput[i] ?? null;
      const latency = sweep.latency[i] ?? null;
      if (throughput !== null || latency !== null) cells.push({ sweep, concurrency, throughput, latency });
    });
  }
  return cells;
}
