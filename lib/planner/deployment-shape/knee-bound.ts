/**
 * The knee the specs predict, in one place: where the running batch of each replica stops growing
 * because requests no longer fit the KV cache (MAX_BATCH_TOTAL_TOKENS or what memory leaves), the
 * steps turn compute-bound (critical batch B*), or TGI refuses more requests (MAX_CONCURRENT_REQUESTS),
 * whichever comes first, times the replicas. `plan` reports it and the predicted sweep places it.
 */
import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../../catalog/types';
import { criticalBatch } from '../roofline';
import { effectiveBatchTotalTokens } from './tgi-settings';

export type KneeLimit = 'memory' | 'compute' | 'max-concurrent-requests';

export interface KneeBound {
  /** Concurrency one replica sustains before the curve bends. */
  readonly perReplica: number;
  readonly replicas: number;
  /** perReplica × replicas. */
  readonly concurrency: number;
  /** What binds first. */
  readonly limit: KneeLimit;
  /** Sequences of the payload the batch token budget holds (per replica). */
  readonly kvBatch: number;
  readonly criticalBatch: number;
  readonly maxConcurrentRequests: number;
  /** e.g. `KV cache holds 35 sequences per replica × 1 replica = 35`. */
  readonly detail: string;
}

export interface KneeBoundRequest {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
  readonly tgi: TgiSettings;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** @default 1 */
  readonly copies?: number;
  /** @default 1 */
  readonly instances?: number;
}

export function kneeBound(request: KneeBoundRequest): KneeBound {
  const kvBatch = Math.floor(effectiveBatchTotalTokens(request.model, request.instance, request.tp, request.tgi) / (request.inputTokens + request.outputTokens));
  const bStar = criticalBatch(request.instance.accelerator);
  const mcr = request.tgi.maxConcurrentRequests;
  const perReplica = Math.min(kvBatch, bStar, mcr);
  const limit: KneeLimit = perReplica === kvBatch ? 'memory' : perReplica === bStar ? 'compute' : 'max-concurrent-requests';
  const replicas = (request.copies ?? 1) * (request.instances ?? 1);
  const budget = request.tgi.maxBatchTotalTokens !== undefined ? `MAX_BATCH_TOTAL_TOKENS = ${request.tgi.maxBatchTotalTokens}` : 'KV cache';
  const bound = limit === 'memory' ? `${budget} holds ${kvBatch} sequences` : limit === 'compute' ? `critical batch B* = ${bStar}` : `MAX_CONCURRENT_REQUESTS = ${mcr}`;
  return {
    perReplica,
    replicas,
    concurrency: perReplica * replicas,
    limit,
    kvBatch,
    criticalBatch: bStar,
    maxConcurrentRequests: mcr,
    detail: `${bound} per replica × ${replicas} replica${replicas === 1 ? '' : 's'} = ${perReplica * replicas}`,
  };
}
