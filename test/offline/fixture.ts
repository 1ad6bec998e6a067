import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { ResolvedFleet } from '../../lib/fleet/types';
import { synthesizePipeline } from '../../loadtest/offline/synth';
import type { SynthesizedFleet } from '../../loadtest/offline/synth';

/** The published study's first deployment (llama-2-7b on ml.g5.2xlarge) as a one-deployment fleet. */
export function studyFleet(): ResolvedFleet {
  const fleet = resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' });
  return { ...fleet, deployments: [fleet.deployments[0]] };
}

export function synthesizeStudyPipeline(): SynthesizedFleet {
  return synthesizePipeline(studyFleet());
}
