import { getInstanceType, getModel } from '../../lib/catalog';
import { jumpStartTp } from '../../lib/planner/deployment-shape';
import { PUBLISHED_STUDY, type PublishedSweep } from '../../lib/planner/calibration/published';

/**
 * Every configuration of the published study (docs/theory.md): the four calibration sweeps,
 * the study's models at their JumpStart default TP on the study's instance types, TP 1/2/4/8 on
 * ml.p4d.24xlarge for Llama 2 7B and 13B, and 1/2/3 instances of ml.g5.2xlarge, each at both
 * payloads (512 and 4,096 total tokens).
 */

export type StudyGroup = 'calibration' | 'default-tp' | 'tp-scaling' | 'instances';

export interface StudyPayload {
  readonly totalTokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * The study's two payloads. 512 = 256 in + 256 out (calibration file). For 4,096 the study states
 * the total only; we keep 256 output tokens (input 3,840), an assumption.
 */
export const STUDY_PAYLOADS: readonly StudyPayload[] = [
  { totalTokens: 512, inputTokens: 256, outputTokens: 256 },
  { totalTokens: 4096, inputTokens: 3840, outputTokens: 256 },
];

export const STUDY_INSTANCE_TYPES: readonly string[] = ['ml.g5.2xlarge', 'ml.g5.12xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge'];

export const STUDY_MODELS: readonly string[] = [
  'llama-2-7b',
  'llama-2-13b',
  'llama-2-70b',
  'mistral-7b',
  'mixtral-8x7b',
  'falcon-7b',
  'falcon-40b',
  'falcon-180b',
];

export interface StudyConfiguration {
  /** Unique key: model/instance/tp/instances/totalTokens. */
  readonly id: string;
  readonly groups: readonly StudyGroup[];
  readonly model: string;
  readonly instance: string;
  readonly tp: number;
  readonly instances: number;
  readonly payload: StudyPayload;
  /** Published per-level figures (calibration file), when the study has them. */
  readonly published?: PublishedSweep;
  /** A published max throughput quoted in docs/theory.md (tokens/s), when there is one. */
  readonly publishedMaxThroughput?: number;
}

/**
 * Max throughputs the study quotes without per-level data (docs/theory.md, *published*):
 * Llama 2 7B on ml.p4d.24xlarge at TP 4 and TP 8; 1/2/3 instances of ml.g5.2xlarge. Payload 512.
 */
const PUBLISHED_MAX_THROUGHPUT: Readonly<Record<string, number>> = {
  'llama-2-7b/ml.p4d.24xlarge/tp4/x1/512': 3752,
  'llama-2-7b/ml.p4d.24xlarge/tp8/x1/512': 3004,
  'llama-2-7b/ml.g5.2xlarge/tp1/x1/512': 492,
  'llama-2-7b/ml.g5.2xlarge/tp1/x2/512': 949,
  'llama-2-7b/ml.g5.2xlarge/tp1/x3/512': 1400,
};

const idOf = (model: string, instance: string, tp: number, instances: number, totalTokens: number): string =>
  `${model}/${instance}/tp${tp}/x${instances}/${totalTokens}`;

/** The study's configurations, deduplicated (one configuration may belong to several groups). */
export function studyConfigurations(): StudyConfiguration[] {
  const byId = new Map<string, { groups: StudyGroup[]; base: Omit<StudyConfiguration, 'groups' | 'id'> }>();
  const add = (group: StudyGroup, model: string, instance: string, tp: number, instances: number, published?: PublishedSweep): void => {
    for (const payload of STUDY_PAYLOADS) {
      const id = idOf(model, instance, tp, instances, payload.totalTokens);
      const matching = published !== undefined && published.totalTokens === payload.totalTokens ? published : undefined;
      const existing = byId.get(id);
      if (existing !== undefined) {
        if (!existing.groups.includes(group)) existing.groups.push(group);
        if (matching !== undefined) existing.base = { ...existing.base, published: matching };
        continue;
      }
      const publishedMaxThroughput = PUBLISHED_MAX_THROUGHPUT[id];
      byId.set(id, {
        groups: [group],
        base: {
          model,
          instance,
          tp,
          instances,
          payload,
          ...(matching !== undefined ? { published: matching } : {}),
          ...(publishedMaxThroughput !== undefined ? { publishedMaxThroughput } : {}),
        },
      });
    }
  };
  for (const sweep of PUBLISHED_STUDY.sweeps) add('calibration', sweep.model, sweep.instance, sweep.tp, sweep.instances, sweep);
  for (const modelId of STUDY_MODELS) {
    const model = getModel(modelId);
    for (const instance of STUDY_INSTANCE_TYPES) {
      const tp = jumpStartTp(model, getInstanceType(instance));
      if (tp !== undefined) add('default-tp', modelId, instance, tp, 1);
    }
  }
  for (const modelId of ['llama-2-7b', 'llama-2-13b']) for (const tp of [1, 2, 4, 8]) add('tp-scaling', modelId, 'ml.p4d.24xlarge', tp, 1);
  for (const instances of [1, 2, 3]) add('instances', 'llama-2-7b', 'ml.g5.2xlarge', 1, instances);
  const rank = (list: readonly string[], item: string): number => (list.includes(item) ? list.indexOf(item) : list.length);
  return [...byId.entries()]
    .map(([id, { groups, base }]) => ({ id, groups, ...base }))
    .sort(
      (a, b) =>
        a.payload.totalTokens - b.payload.totalTokens ||
        rank(STUDY_MODELS, a.model) - rank(STUDY_MODELS, b.model) ||
        rank(STUDY_INSTANCE_TYPES, a.instance) - rank(STUDY_INSTANCE_TYPES, b.instance) ||
        a.tp - b.tp ||
        a.instances - b.instances,
    );
}
